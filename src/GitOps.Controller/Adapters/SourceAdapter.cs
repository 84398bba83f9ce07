using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Source;

namespace GitOps.Controller.Adapters;

/// <summary>ISourceGateway over GitOps.Source's repository cache.</summary>
internal sealed class SourceAdapter(IGitSource git) : ISourceGateway
{
    private const string BranchPrefix = "refs/heads/";

    public async Task<RevisionInfo> ResolveAsync(SourceSpec source, CancellationToken cancellationToken)
    {
        // refresh: the cache compares remote refs first and fetches only when they moved.
        var resolved = await git.ResolveAsync(source.RepoUrl, source.TargetRevision, refresh: true, cancellationToken);
        return new RevisionInfo(resolved.Sha, resolved.Subject, $"{resolved.AuthorName} <{resolved.AuthorEmail}>", resolved.Date);
    }

    public async Task<Snapshot> SnapshotAsync(string repoUrl, string sha, CancellationToken cancellationToken)
    {
        var lease = await git.GetSnapshotAsync(repoUrl, sha, subPath: null, cancellationToken);
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
