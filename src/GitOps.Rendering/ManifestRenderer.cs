namespace GitOps.Rendering;

/// <summary>Picks the renderer by what the directory holds: the first whose CanRender says yes wins,
/// so callers list them most specific first (kustomize, helm, then plain).</summary>
public sealed class ManifestRenderer(IReadOnlyList<IManifestRenderer> renderers)
{
    public async Task<RenderResult> RenderAsync(RenderRequest request, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(request.RepositoryRoot);
        var directory = Path.GetFullPath(Path.Combine(root, request.Path));
        if (!IsInside(root, directory))
        {
            throw new RenderException($"path '{request.Path}' escapes the repository");
        }

        if (!Directory.Exists(directory))
        {
            throw new RenderException($"path '{request.Path}' does not exist or is not a directory");
        }

        foreach (var renderer in renderers)
        {
            if (renderer.CanRender(directory))
            {
                return await renderer.RenderAsync(request, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new RenderException($"no renderer can render '{request.Path}'");
    }

    internal static bool IsInside(string root, string path) =>
        path == root || path.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar,
            StringComparison.Ordinal);
}
