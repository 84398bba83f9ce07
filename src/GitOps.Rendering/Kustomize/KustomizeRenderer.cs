namespace GitOps.Rendering.Kustomize;

/// <summary>Kustomize overlays, as `kubectl kustomize` renders them. (Stub: being built under issue 3.)</summary>
public sealed class KustomizeRenderer(IHelmChartInflater? helm = null) : IManifestRenderer
{
    private readonly IHelmChartInflater? helm = helm;

    public string Name => "kustomize";

    public bool CanRender(string directory) =>
        File.Exists(Path.Combine(directory, "kustomization.yaml"))
        || File.Exists(Path.Combine(directory, "kustomization.yml"))
        || File.Exists(Path.Combine(directory, "Kustomization"));

    public Task<RenderResult> RenderAsync(RenderRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"kustomize rendering is not implemented yet (helm inflater: {helm is not null})");
}
