using System.Text.Json.Nodes;
using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Engine;

namespace GitOps.Controller.Observability;

/// <summary>Times revision resolution (remote refs compared, fetched when they moved) and counts its failures.</summary>
internal sealed class MeteredSourceGateway(ISourceGateway inner, ControllerMetrics metrics) : ISourceGateway
{
    public async Task<RevisionInfo> ResolveAsync(SourceSpec source, DateTimeOffset freshAsOf, CancellationToken cancellationToken)
    {
        var elapsed = Elapsed.Start();
        var ok = false;
        try
        {
            var revision = await inner.ResolveAsync(source, freshAsOf, cancellationToken);
            ok = true;
            return revision;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ok = true; // a stop, not a git failure
            throw;
        }
        finally
        {
            metrics.RecordGitFetch(elapsed.Value, ok);
        }
    }

    public Task<Snapshot> SnapshotAsync(SourceSpec source, string revision, string? path, CancellationToken cancellationToken) =>
        inner.SnapshotAsync(source, revision, path, cancellationToken);

    public Task<string?> DirectoryIdAsync(SourceSpec source, string sha, CancellationToken cancellationToken) =>
        inner.DirectoryIdAsync(source, sha, cancellationToken);

    public Task<bool> IsBranchAsync(SourceSpec source, CancellationToken cancellationToken) =>
        inner.IsBranchAsync(source, cancellationToken);

    public Task<RevertOutcome> RevertAsync(SourceSpec source, string? toSha, string? commit, string requestedBy,
        CancellationToken cancellationToken) =>
        inner.RevertAsync(source, toSha, commit, requestedBy, cancellationToken);
}

/// <summary>Times syncs (not dry runs) and counts them by result.</summary>
internal sealed class MeteredClusterGateway(IClusterGateway inner, ControllerMetrics metrics) : IClusterGateway
{
    public long LiveVersion(Application app) => inner.LiveVersion(app);

    public Task<Comparison> CompareAsync(Application app, string revision, IReadOnlyList<JsonObject> desired,
        CancellationToken cancellationToken) =>
        inner.CompareAsync(app, revision, desired, cancellationToken);

    public async Task<SyncReport> SyncAsync(Application app, string revision, IReadOnlyList<JsonObject> desired,
        SyncParameters parameters, CancellationToken cancellationToken)
    {
        if (parameters.DryRun)
        {
            return await inner.SyncAsync(app, revision, desired, parameters, cancellationToken);
        }

        var elapsed = Elapsed.Start();
        var outcome = SyncOutcome.Failed;
        try
        {
            var report = await inner.SyncAsync(app, revision, desired, parameters, cancellationToken);
            outcome = report.Outcome;
            return report;
        }
        finally
        {
            metrics.RecordSync(elapsed.Value, outcome);
        }
    }
}

/// <summary>Feeds the apps-by-status gauges from every status read or written.</summary>
internal sealed class MeteredStateStore(IStateStore inner, ControllerMetrics metrics) : IStateStore
{
    public async Task<AppStatus> GetAsync(string app, CancellationToken cancellationToken)
    {
        var status = await inner.GetAsync(app, cancellationToken);
        metrics.ObserveStatus(app, status);
        return status;
    }

    public async Task SaveAsync(string app, AppStatus status, CancellationToken cancellationToken)
    {
        await inner.SaveAsync(app, status, cancellationToken);
        metrics.ObserveStatus(app, status);
    }
}
