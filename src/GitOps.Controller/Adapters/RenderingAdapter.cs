using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Rendering;

namespace GitOps.Controller.Adapters;

/// <summary>Renders an app's path in a snapshot with the renderer its contents select, cached by
/// commit SHA + path + source options (a commit never changes, so neither does its render).</summary>
internal sealed class RenderingAdapter(ManifestRenderer renderer) : IAppRenderer
{
    private const int CacheLimit = 2048;
    private readonly ConcurrentDictionary<string, IReadOnlyList<JsonObject>> cache = new();

    public async Task<IReadOnlyList<JsonObject>> RenderAsync(string snapshotRoot, RevisionInfo revision, Application app,
        CancellationToken cancellationToken)
    {
        var source = app.Spec.Source;
        var key = $"{revision.Sha}\n{source.Path}\n{app.Spec.Destination.Namespace}\n" +
                  JsonSerializer.Serialize(source, ApplicationDocuments.JsonOptions);
        if (!cache.TryGetValue(key, out var objects))
        {
            var result = await renderer.RenderAsync(ApplicationRender.RequestFor(app, snapshotRoot), cancellationToken);
            objects = result.Manifests.Select(m => m.Object).ToList();
            if (cache.Count >= CacheLimit)
            {
                cache.Clear(); // crude bound; renders are cheap to redo
            }

            cache[key] = objects;
        }

        // Callers may normalise objects in place; the cached render stays pristine.
        return objects.Select(o => (JsonObject)o.DeepClone()).ToList();
    }
}
