using System.Text.Json.Nodes;
using GitOps.Controller.Applications;
using GitOps.Controller.State;
using GitOps.Engine;

namespace GitOps.Controller.Reconcile;

/// <summary>The source stage as the controller needs it (adapter over GitOps.Source).</summary>
internal interface ISourceGateway
{
    /// <summary>Resolves the app's targetRevision to a commit (git) or a chart version (chart repository, OCI
    /// registry: the revision's Sha is the version), from refs at least as fresh as <paramref name="freshAsOf"/>:
    /// fetched unless a fetch that started after that moment already ran (one fetch then serves every pass queued
    /// before it, however many apps share the repository).</summary>
    Task<RevisionInfo> ResolveAsync(SourceSpec source, DateTimeOffset freshAsOf, CancellationToken cancellationToken);

    /// <summary>The commit's tree, or the chart, as a read-only directory the renderers may read, held until disposed;
    /// with <paramref name="path"/>, only that directory of a git tree (at the same place under the root).</summary>
    Task<Snapshot> SnapshotAsync(SourceSpec source, string revision, string? path, CancellationToken cancellationToken);

    /// <summary>The id of the app's directory (its source path) in a git commit the mirror has: equal ids, equal
    /// files. Null when there is none (a chart source, or the path is not a directory there).</summary>
    Task<string?> DirectoryIdAsync(SourceSpec source, string sha, CancellationToken cancellationToken);

    /// <summary>True when targetRevision names a branch (rollback by revert needs one).</summary>
    Task<bool> IsBranchAsync(SourceSpec source, CancellationToken cancellationToken);

    /// <summary>Reverts, on the tracked branch, every commit after <paramref name="toSha"/> (or just
    /// <paramref name="commit"/>) and pushes; returns the revert commit.</summary>
    Task<RevertOutcome> RevertAsync(SourceSpec source, string? toSha, string? commit, string requestedBy,
        CancellationToken cancellationToken);
}

/// <summary>A leased snapshot directory: kept on disk until disposed.</summary>
internal sealed record Snapshot(string Root, IDisposable Lease) : IDisposable
{
    /// <summary>Charts fetched for the app's chart's remote dependencies (`helm dependency build`), for the renderer.</summary>
    public IReadOnlyList<string> DependencyCharts { get; init; } = [];

    /// <summary>Snapshot roots of the app's ref sources, by ref name (multiple sources: $ref/… value files).</summary>
    public IReadOnlyDictionary<string, string> ValueRoots { get; init; } = new Dictionary<string, string>();

    public void Dispose() => Lease.Dispose();
}

internal sealed record RevertOutcome(string RevertCommit, IReadOnlyList<string> RevertedCommits);

/// <summary>The render stage: an app's path in a snapshot → desired objects.</summary>
internal interface IAppRenderer
{
    Task<IReadOnlyList<JsonObject>> RenderAsync(Snapshot snapshot, RevisionInfo revision, Application app,
        CancellationToken cancellationToken);
}

/// <summary>The cluster engine as the controller needs it (adapter over GitOps.Engine). The objects are those
/// rendered from <paramref name="revision"/> (a commit SHA, for the operation log).</summary>
internal interface IClusterGateway
{
    /// <summary>Changes whenever a live object the app tracks changes (as the watches see it): equal values
    /// around two passes with the same desired objects mean the second compare would find what the first did.</summary>
    long LiveVersion(Application app);

    Task<Comparison> CompareAsync(Application app, string revision, IReadOnlyList<JsonObject> desired,
        CancellationToken cancellationToken);

    Task<SyncReport> SyncAsync(Application app, string revision, IReadOnlyList<JsonObject> desired, SyncParameters parameters,
        CancellationToken cancellationToken);
}

internal sealed record ResourceDiff(ResourceState Resource, string UnifiedDiff, string JsonPatch);

internal sealed record Comparison(IReadOnlyList<ResourceState> Resources, IReadOnlyList<ResourceDiff> Diffs, HealthState Health)
{
    /// <summary>The engine's comparison when objects were missing: a sync in the same pass reuses its dry runs of
    /// them (see GitOps.Engine.SyncOptions.Basis) instead of validating them a second time.</summary>
    public ComparisonResult? Basis { get; init; }

    /// <summary>One line per desired object that another app owns (the SharedResource condition).</summary>
    public IReadOnlyList<string> Shared { get; init; } = [];

    /// <summary>Desired objects that exist without our tracking mark (or with another installation's ID, which
    /// the line names) and may not be adopted (the AdoptionRequired condition).</summary>
    public IReadOnlyList<string> Unadopted { get; init; } = [];

    /// <summary>Desired objects outside the app's project (the ProjectViolation condition).</summary>
    public IReadOnlyList<string> OutsideProject { get; init; } = [];

    public SyncState Sync => Resources.Any(r => r.Status == SyncState.OutOfSync) ? SyncState.OutOfSync : SyncState.Synced;

    /// <summary>This comparison, holding <paramref name="previous"/> instead of its own resources when the two are
    /// equal: a pass that finds what the last one found keeps the status's list (nothing new to keep, and the
    /// status stays equal by reference, so it is not written again).</summary>
    public Comparison Reusing(IReadOnlyList<ResourceState> previous) =>
        ReferenceEquals(previous, Resources) || !previous.SequenceEqual(Resources) ? this : this with { Resources = previous };
}

internal sealed record SyncParameters(bool Prune, bool DryRun, bool AllowEmpty, IReadOnlyCollection<string> OnlyResources)
{
    /// <summary>Where a running sync with hooks or several waves is (the engine's stages), to show in the status.</summary>
    public Func<SyncProgress, CancellationToken, Task>? OnProgress { get; init; }

    /// <summary>The comparison this pass made just before the sync (<see cref="Comparison.Basis"/>).</summary>
    public ComparisonResult? Basis { get; init; }
}

/// <summary>A sync as the controller records it: the engine's outcome and per-object actions, and the last lines
/// of its operation log.</summary>
internal sealed record SyncReport(SyncOutcome Outcome, string Message, IReadOnlyList<ResourceSyncResult> Results)
{
    public bool Succeeded => Outcome == SyncOutcome.Succeeded;

    public IReadOnlyList<string> Log { get; init; } = [];
}
