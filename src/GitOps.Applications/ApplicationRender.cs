using GitOps.Rendering;
using GitOps.Rendering.Helm;
using GitOps.Rendering.Kustomize;
using GitOps.Rendering.Plain;

namespace GitOps.Applications;

/// <summary>How an application is rendered: the renderers and the spec → options mapping the controller uses, so
/// an offline render (`gitops preview`) is the controller's render.</summary>
public static class ApplicationRender
{
    /// <summary>Kustomize (with Helm charts inflated), Helm, plain — the first whose contents match wins.</summary>
    public static ManifestRenderer CreateRenderer()
    {
        var helm = new HelmRenderer();
        return new ManifestRenderer([new KustomizeRenderer(helm), helm, new PlainRenderer()]);
    }

    /// <summary>The request for the app's path inside a snapshot of its repository.</summary>
    /// <param name="dependencyCharts">Charts the source stage fetched for the chart's remote dependencies.</param>
    /// <param name="valueRoots">Snapshot roots of the app's ref sources, by ref name ($ref/… value files).</param>
    public static RenderRequest RequestFor(Application app, string snapshotRoot, IReadOnlyList<string>? dependencyCharts = null,
        IReadOnlyDictionary<string, string>? valueRoots = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = OptionsFor(app);
        if (dependencyCharts is { Count: > 0 } || valueRoots is { Count: > 0 })
        {
            options = options with
            {
                Helm = options.Helm! with
                {
                    DependencyCharts = dependencyCharts ?? [],
                    ValueRoots = valueRoots ?? new Dictionary<string, string>(),
                },
            };
        }

        // A chart from a repository is unpacked at the snapshot's root; path names a directory in git only.
        return new RenderRequest(snapshotRoot, app.Spec.Source.IsChart ? "." : app.Spec.Source.Path, options);
    }

    public static RenderOptions OptionsFor(Application app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var source = app.Spec.Source;
        var kustomize = source.Kustomize is { } k
            ? new KustomizeOptions(k.NamePrefix, k.NameSuffix, k.Namespace, k.Images, k.CommonLabels)
            : null;
        var helm = source.Helm is { } h
            ? new HelmOptions(
                ValueFiles: h.ValueFiles,
                Values: h.Values,
                Set: h.Parameters.Where(p => !p.ForceString).Select(p => $"{p.Name}={p.Value}").ToList(),
                SetString: h.Parameters.Where(p => p.ForceString).Select(p => $"{p.Name}={p.Value}").ToList(),
                ReleaseName: h.ReleaseName ?? app.Name,
                Namespace: app.Spec.Destination.Namespace)
            : new HelmOptions(ReleaseName: app.Name, Namespace: app.Spec.Destination.Namespace);
        var directory = source.Directory is { } d ? new DirectoryOptions(d.Recurse, d.Include, d.Exclude) : null;
        return new RenderOptions(directory, kustomize, helm);
    }
}
