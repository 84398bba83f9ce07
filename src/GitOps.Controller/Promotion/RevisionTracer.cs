using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using GitOps.Controller.State;

namespace GitOps.Controller.Promotion;

/// <summary>Which revision a stage runs, in the pipeline's terms: a promotion commit is traced to the revision it
/// promoted (its trailers), a revert of a stage's latest promotion to the promotion before it (what it restores),
/// a source commit to itself with its tag. Commits never change, so what is learnt is cached.</summary>
internal sealed partial class RevisionTracer(IPromotionGit git)
{
    private readonly ConcurrentDictionary<string, CommitInfo> commits = new();
    private readonly ConcurrentDictionary<string, CommitInfo?> restorations = new();

    /// <summary>What a stage's app runs, traced to its origin revision through the promotion trailers; on a stage
    /// branch, a revert of the branch's latest promotion is traced to the promotion before it (what it restores).</summary>
    public async Task<StageCurrent?> TraceAsync(string repo, string? branch, AppStatus status, CancellationToken cancellationToken)
    {
        if (status.Revision?.Sha is not { Length: > 0 } sha)
        {
            return null;
        }

        var info = await DescribeAsync(repo, sha, cancellationToken);
        if (branch is not null && info is not null && info.Origin == sha && await RestoredAsync(repo, branch, info, cancellationToken) is { } restored)
        {
            info = restored;
        }

        var origin = info?.Origin ?? sha;
        var tag = info?.Tag;
        if (tag is null && origin != sha)
        {
            tag = (await DescribeAsync(repo, origin, cancellationToken))?.Tag;
        }

        return new StageCurrent(sha, origin, tag, status.Sync, status.Health);
    }

    /// <summary>For a revert commit (autoRollback's trailer, or git's "This reverts commit X."), the promotion that
    /// preceded the reverted one on the branch: the revert restores its tree. Null when that is not the shape.</summary>
    private async Task<CommitInfo?> RestoredAsync(string repo, string branch, CommitInfo revert, CancellationToken cancellationToken)
    {
        if (restorations.TryGetValue(revert.Sha, out var known))
        {
            return known;
        }

        var reverted = revert.Trailers.GetValueOrDefault(PromotionMessage.RollbackOfTrailer)
                       ?? (RevertsCommit().Match(revert.Message) is { Success: true } m ? m.Groups[1].Value : null);
        if (reverted is null)
        {
            return null;
        }

        // First-parent log, newest first: the revert, the promotion it reverts, then what that promotion replaced.
        var log = await git.LogAsync(repo, branch, 200, cancellationToken);
        var at = log.ToList().FindIndex(c => c.Sha == revert.Sha);
        if (at < 0)
        {
            return null; // not on the branch (yet): asked again next time
        }

        CommitInfo? restored = at + 2 < log.Count && log[at + 1].Sha == reverted
                               && log[at + 2].Trailers.ContainsKey(PromotionMessage.RevisionTrailer)
            ? log[at + 2]
            : null;
        return restorations.GetOrAdd(revert.Sha, restored);
    }

    public async Task<CommitInfo?> DescribeAsync(string repo, string sha, CancellationToken cancellationToken)
    {
        if (commits.TryGetValue(sha, out var known))
        {
            return known;
        }

        // Commits never change, but a tag may be added later: an untagged plain commit is asked again (locally).
        var info = await git.DescribeAsync(repo, sha, cancellationToken);
        return info is null ? null
            : info.Tags.Count > 0 || info.Origin != sha ? commits.GetOrAdd(sha, info)
            : info;
    }

    [GeneratedRegex(@"This reverts commit ([0-9a-f]{40})")]
    private static partial Regex RevertsCommit();
}
