using System.Collections.Concurrent;
using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Source;

namespace GitOps.Controller.Adapters;

/// <summary>ISourceGateway over GitOps.Source's repository cache.</summary>
internal sealed class SourceAdapter(IGitSource git, TimeProvider clock) : ISourceGateway
{
    private const string BranchPrefix = "refs/heads/";

    // Per repository URL, the start of the last successful refresh: its refs are at least as fresh as that.
    private readonly ConcurrentDictionary<string, DateTimeOffset> refreshedAsOf = new(StringComparer.Ordinal);

    public async Task<RevisionInfo> ResolveAsync(SourceSpec source, DateTimeOffset freshAsOf, CancellationToken cancellationToken)
    {
        // A fetch that started after the pass was queued saw every push made before it (a webhook queues its pass
        // after the push): no need to ask the remote again. Otherwise refresh; the mirror coalesces concurrent
        // fetches and a fetch that serves us starts after this call does, so `started` is a safe lower bound.
        var refresh = !(refreshedAsOf.TryGetValue(source.RepoUrl, out var asOf) && asOf > freshAsOf);
        var started = clock.GetUtcNow();
        var resolved = await git.ResolveAsync(source.RepoUrl, source.TargetRevision, refresh, cancellationToken);
        // A full SHA that is already here is resolved without a fetch, which must not count as one.
        if (refresh && !IsFullSha(source.TargetRevision.Trim()))
        {
            refreshedAsOf.AddOrUpdate(source.RepoUrl, started, (_, previous) => previous > started ? previous : started);
        }

        return new RevisionInfo(resolved.Sha, resolved.Subject, $"{resolved.AuthorName} <{resolved.AuthorEmail}>", resolved.Date);
    }

    private static bool IsFullSha(string revision) => revision.Length == 40 && revision.All(char.IsAsciiHexDigit);

    public async Task<Snapshot> SnapshotAsync(string repoUrl, string sha, string? path, CancellationToken cancellationToken)
    {
        var lease = await git.GetSnapshotAsync(repoUrl, sha, path, cancellationToken);
        return new Snapshot(lease.Root, lease);
    }

    public async Task<bool> IsBranchAsync(SourceSpec source, CancellationToken cancellationToken) =>
        await BranchOfAsync(source, cancellationToken) is not null;

    public async Task<RevertOutcome> RevertAsync(SourceSpec source, string? toSha, string? commit, string requestedBy,
        CancellationToken cancellationToken)
    {
        var branch = await BranchOfAsync(source, cancellationToken)
                     ?? throw new AppOperationException(AppError.FailedPrecondition, $"'{source.TargetRevision}' is not a branch");
        var result = await git.RevertAsync(new RevertRequest
        {
            RepositoryUrl = source.RepoUrl,
            Branch = branch,
            Commit = commit,
            After = commit is null ? toSha : null,
            AuthorName = requestedBy,
        }, cancellationToken);
        return new RevertOutcome(result.NewHeadSha, result.RevertedShas);
    }

    /// <summary>The branch targetRevision follows (HEAD follows the default branch), or null for a tag or SHA.</summary>
    private async Task<string?> BranchOfAsync(SourceSpec source, CancellationToken cancellationToken)
    {
        var resolved = await git.ResolveAsync(source.RepoUrl, source.TargetRevision, refresh: true, cancellationToken);
        return resolved.Reference is { } reference && reference.StartsWith(BranchPrefix, StringComparison.Ordinal)
            ? reference[BranchPrefix.Length..]
            : null;
    }
}
