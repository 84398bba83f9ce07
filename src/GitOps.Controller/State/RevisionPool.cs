using System.Collections.Concurrent;

namespace GitOps.Controller.State;

/// <summary>
/// One <see cref="RevisionInfo"/> per commit for the whole controller: every app of a monorepo at the same commit
/// (its status, its operation, its history entries) shares one record and its strings instead of a copy each,
/// also after a restart has read the statuses back. Bounded: when full it starts afresh, which costs sharing,
/// never correctness (a record is immutable and compared by value).
/// </summary>
internal sealed class RevisionPool
{
    private const int Limit = 4096;
    private readonly ConcurrentDictionary<RevisionInfo, RevisionInfo> shared = new();
    private readonly ConcurrentDictionary<string, RevisionInfo> commits = new(StringComparer.Ordinal);

    /// <summary>The shared record equal to <paramref name="revision"/>.</summary>
    public RevisionInfo Share(RevisionInfo revision)
    {
        if (shared.TryGetValue(revision, out var known))
        {
            return known;
        }

        Bound(shared);
        return shared.GetOrAdd(revision, revision);
    }

    /// <summary>The shared record of a git commit, made by <paramref name="describe"/> only the first time: a
    /// commit's SHA names its content, so its description never changes.</summary>
    public RevisionInfo ForCommit<T>(string sha, T commit, Func<T, RevisionInfo> describe)
    {
        if (commits.TryGetValue(sha, out var known))
        {
            return known;
        }

        Bound(commits);
        return commits.GetOrAdd(sha, Share(describe(commit)));
    }

    /// <summary>The status with its revisions shared (a status read back from storage has a copy of each).</summary>
    public AppStatus Share(AppStatus status) => status with
    {
        Revision = status.Revision is { } revision ? Share(revision) : null,
        Operation = status.Operation is { Revision: { } running } operation ? operation with { Revision = Share(running) } : status.Operation,
        History = status.History.Count == 0 ? status.History : status.History.Select(h => h with { Revision = Share(h.Revision) }).ToArray(),
    };

    private static void Bound<TKey>(ConcurrentDictionary<TKey, RevisionInfo> pool) where TKey : notnull
    {
        if (pool.Count >= Limit)
        {
            pool.Clear();
        }
    }
}
