using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Rendering;

namespace GitOps.Controller.Adapters;

/// <summary>Renders an app's path in a snapshot with the renderer its contents select, cached by
/// commit SHA + path + source options (a commit never changes, so neither does its render). The cache keeps each
/// object as compact UTF-8 JSON, not a node tree: a pass over tens of thousands of apps fills and empties it many
/// times, and what it held became long-lived garbage the size of several node trees per app.</summary>
internal sealed class RenderingAdapter(ManifestRenderer renderer) : IAppRenderer
{
    private const int CacheLimit = 2048;
    private readonly ConcurrentDictionary<string, byte[][]> cache = new();

    public async Task<IReadOnlyList<JsonObject>> RenderAsync(Snapshot snapshot, RevisionInfo revision, Application app,
        CancellationToken cancellationToken)
    {
        var source = app.Spec.Source;
        // Fetched dependencies are cached archives named by digest: a new dependency version is a new key.
        var key = $"{revision.Sha}\n{source.Path}\n{app.Spec.Destination.Namespace}\n" +
                  JsonSerializer.Serialize(source, ApplicationDocuments.JsonOptions) + "\n" +
                  string.Join("\n", snapshot.DependencyCharts.Select(p => Path.GetFileName(p)));
        if (!cache.TryGetValue(key, out var objects))
        {
            var request = ApplicationRender.RequestFor(app, snapshot.Root, snapshot.DependencyCharts, snapshot.ValueRoots);
            var result = await renderer.RenderAsync(request, cancellationToken);
            objects = [.. result.Manifests.Select(m => JsonSerializer.SerializeToUtf8Bytes(m.Object))];
            if (cache.Count >= CacheLimit)
            {
                cache.Clear(); // crude bound; renders are cheap to redo
            }

            cache[key] = objects;
        }

        // Fresh trees each time: callers may normalise objects in place; the cached render stays pristine.
        return [.. objects.Select(o => JsonNode.Parse(o)!.AsObject())];
    }
}
