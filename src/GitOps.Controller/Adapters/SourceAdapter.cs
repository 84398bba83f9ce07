using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;

namespace GitOps.Controller.Adapters;

/// <summary>ISourceGateway over GitOps.Source. (Placeholder until the source stage lands.)</summary>
internal sealed class SourceAdapter : ISourceGateway
{
    public Task<RevisionInfo> ResolveAsync(SourceSpec source, CancellationToken cancellationToken) => throw new NotSupportedException("source stage not wired");

    public Task<Snapshot> SnapshotAsync(string repoUrl, string sha, CancellationToken cancellationToken) => throw new NotSupportedException("source stage not wired");

    public Task<bool> IsBranchAsync(SourceSpec source, CancellationToken cancellationToken) => throw new NotSupportedException("source stage not wired");

    public Task<RevertOutcome> RevertAsync(SourceSpec source, string? toSha, string? commit, string requestedBy, CancellationToken cancellationToken) => throw new NotSupportedException("source stage not wired");
}
