using GitOps.Rendering;

namespace GitOps.Rendering.Helm;

/// <summary>Helm charts, as `helm template` renders them. (Stub: being built under issue 4.)</summary>
public sealed class HelmRenderer : IManifestRenderer, IHelmChartInflater
{
    public string Name => "helm";

    public bool CanRender(string directory) => File.Exists(Path.Combine(directory, "Chart.yaml"));

    public Task<RenderResult> RenderAsync(RenderRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("helm rendering is not implemented yet");

    public Task<IReadOnlyList<Manifest>> InflateAsync(string repositoryRoot, string chartDirectory, HelmOptions options,
        CancellationToken cancellationToken) =>
        throw new NotSupportedException("helm rendering is not implemented yet");
}
