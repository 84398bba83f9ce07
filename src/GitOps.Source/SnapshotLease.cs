namespace GitOps.Source;

/// <summary>
/// A read-only snapshot directory in use. While any lease on it is open the LRU bound never removes it;
/// dispose the lease when the render is done.
/// </summary>
public sealed class SnapshotLease : IDisposable
{
    private Action? release;

    internal SnapshotLease(string root, string sha, string? subPath, Action release)
    {
        Root = root;
        Sha = sha;
        SubPath = subPath;
        Path = subPath is null ? root : System.IO.Path.Combine(root, subPath);
        this.release = release;
    }

    /// <summary>The snapshot root: the repository root as of <see cref="Sha"/> (a render's RepositoryRoot).</summary>
    public string Root { get; }

    /// <summary>The requested sub-path inside <see cref="Root"/> (equal to it when none was given).</summary>
    public string Path { get; }

    public string Sha { get; }

    public string? SubPath { get; }

    /// <summary>Files of a whole-repository snapshot left out for their size: an app whose path holds one must fail
    /// (<see cref="OversizedFile.Under"/>), the others render without them.</summary>
    public IReadOnlyList<OversizedFile> Oversized { get; init; } = [];

    public void Dispose() => Interlocked.Exchange(ref release, null)?.Invoke();
}
