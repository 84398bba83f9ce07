namespace GitOps.Rendering.Plain;

/// <summary>Plain directories of YAML/JSON manifests. (Stub: being built under issue 3.)</summary>
public sealed class PlainRenderer : IManifestRenderer
{
    public string Name => "plain";

    public bool CanRender(string directory) => true;

    public Task<RenderResult> RenderAsync(RenderRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("plain rendering is not implemented yet");
}
