using LibGit2Sharp;

namespace GitOps.Source;

/// <summary>
/// One repository handle a mirror keeps for short lookups (an app's directory id at a commit). Opening a handle
/// and loading its pack index for every lookup cost about as much as the rest of an interval pass after a commit
/// to a monorepo (~0.3 ms per app at 10 000 apps). Lookups take turns on the handle (libgit2 handles are not
/// thread-safe; a lookup is microseconds once the trees are indexed or the handle holds the large ones parsed,
/// see <see cref="LargeTreeCache"/>), and it is reopened after any write to the
/// mirror, so it never serves older refs than a new handle would.
/// </summary>
internal sealed class MirrorReader(string path) : IDisposable
{
    private readonly Lock gate = new();
    private Repository? repository;
    private long openedAt = -1;
    private bool disposed;

    /// <param name="generation">The mirror's write generation now: a handle opened before it is replaced.</param>
    public T Read<T>(long generation, Func<Repository, T> lookup)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (repository is null || openedAt != generation)
            {
                repository?.Dispose();
                repository = null;
                repository = new Repository(path);
                openedAt = generation;
            }

            return lookup(repository);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            repository?.Dispose();
            repository = null;
        }
    }
}
