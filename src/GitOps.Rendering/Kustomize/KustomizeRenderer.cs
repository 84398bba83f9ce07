using System.Text.Json.Nodes;
using GitOps.Rendering.IO;

namespace GitOps.Rendering.Kustomize;

/// <summary>Kustomize overlays, rendered as `kubectl kustomize` (Kustomize v5) renders them.</summary>
public sealed class KustomizeRenderer(IHelmChartInflater? helm = null) : IManifestRenderer
{
    private readonly IHelmChartInflater? helm = helm;

    public string Name => "kustomize";

    public bool CanRender(string directory) =>
        File.Exists(Path.Combine(directory, "kustomization.yaml"))
        || File.Exists(Path.Combine(directory, "kustomization.yml"))
        || File.Exists(Path.Combine(directory, "Kustomization"));

    public async Task<RenderResult> RenderAsync(RenderRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.Options.Kustomize ?? new KustomizeOptions();
        var fs = new SafeFileSystem(request.RepositoryRoot);
        var directory = fs.Resolve(fs.Root, request.Path);
        var loader = new Loader(fs, options.AllowRemoteBases, rootOnly: !options.LoadRestrictionsNone);
        var builder = new KustomizeBuilder(loader, options, helm, fs.Root);
        var resources = await builder.BuildAsync(directory, cancellationToken).ConfigureAwait(false);
        return new RenderResult([.. resources.Select(r => new Manifest(SortKeys(r.Object), r.Source))], Name);
    }

    /// <summary>kubectl kustomize prints every mapping with its keys sorted (its output goes through Go maps).</summary>
    internal static JsonObject SortKeys(JsonObject obj)
    {
        var sorted = new JsonObject();
        foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal).ToList())
        {
            obj.Remove(key);
            sorted[key] = Sort(value);
        }

        return sorted;
    }

    private static JsonNode? Sort(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                return SortKeys(o);
            case JsonArray a:
                var items = a.ToList();
                a.Clear();
                foreach (var item in items)
                {
                    a.Add(Sort(item));
                }

                return a;
            default:
                return node;
        }
    }
}
