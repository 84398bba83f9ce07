using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Applications;
using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Controller.Tests.Reconcile;

/// <summary>A <see cref="Reconciler"/> over fake ports (no git, no cluster): a branch whose head the test moves,
/// a renderer, a cluster that is out of sync until the head is synced, status in memory, a fake clock.</summary>
internal sealed class ReconcilerWorld
{
    public const string Name = "app";

    public ReconcilerWorld(Func<ApplicationSpec, ApplicationSpec>? spec = null)
    {
        var declared = new ApplicationSpec
        {
            Source = new SourceSpec { RepoUrl = "https://git.example/repo.git", TargetRevision = "main", Path = "app" },
            Destination = new DestinationSpec { Namespace = "demo" },
            SyncPolicy = new SyncPolicySpec { Automated = new AutomatedSpec(Prune: true) },
        };
        Registry.Upsert(new Application(Name, spec is null ? declared : spec(declared)));
        Reconciler = new Reconciler(Registry, Store, Git, Renderer, Cluster, new StatusHub(), Clock,
            NullLogger<Reconciler>.Instance);
    }

    /// <summary>An automated app with selfHeal (and the given retry policy).</summary>
    public static ReconcilerWorld SelfHealing(RetrySpec? retry = null) => new(spec => spec with
    {
        SyncPolicy = new SyncPolicySpec { Automated = new AutomatedSpec(SelfHeal: true), Retry = retry },
    });

    public ApplicationRegistry Registry { get; } = new();

    public InMemoryStateStore Store { get; } = new();

    public FakeGit Git { get; } = new();

    public FakeRenderer Renderer { get; } = new();

    public FakeCluster Cluster { get; } = new();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public Reconciler Reconciler { get; }

    /// <summary>One queued pass; returns the status it saved.</summary>
    public async Task<AppStatus> PassAsync(Trigger trigger = Trigger.Interval)
    {
        Clock.Advance(TimeSpan.FromMinutes(3));
        await Reconciler.ReconcileAsync(Name, trigger, CancellationToken.None);
        return await Store.GetAsync(Name, CancellationToken.None);
    }

    public Task<(AppStatus Status, OperationState Operation)> SyncAsync(bool dryRun = false) =>
        Reconciler.SyncAsync(Name, new SyncParameters(Prune: true, dryRun, AllowEmpty: false, []), CancellationToken.None);
}

internal sealed class InMemoryStateStore : IStateStore
{
    private readonly ConcurrentDictionary<string, AppStatus> statuses = new();

    public Task<AppStatus> GetAsync(string app, CancellationToken cancellationToken) =>
        Task.FromResult(statuses.GetValueOrDefault(app) ?? new AppStatus());

    public Task SaveAsync(string app, AppStatus status, CancellationToken cancellationToken)
    {
        statuses[app] = status;
        return Task.CompletedTask;
    }
}

/// <summary>One branch: <see cref="Commit"/> moves its head.</summary>
internal sealed class FakeGit : ISourceGateway
{
    public string Head { get; private set; } = "1111111111111111111111111111111111111111";

    public bool IsBranch { get; set; } = true;

    public Exception? ResolveFailure { get; set; }

    public List<(string? ToSha, string? Commit)> Reverts { get; } = [];

    public string Commit(string sha)
    {
        Head = sha;
        return sha;
    }

    public Task<RevisionInfo> ResolveAsync(SourceSpec source, DateTimeOffset freshAsOf, CancellationToken cancellationToken) =>
        ResolveFailure is { } failure ? Task.FromException<RevisionInfo>(failure) : Task.FromResult(new RevisionInfo(Head, "subject"));

    /// <summary>The path of each snapshot asked for (null: the whole tree).</summary>
    public List<string?> SnapshotPaths { get; } = [];

    public Task<Snapshot> SnapshotAsync(SourceSpec source, string sha, string? path, CancellationToken cancellationToken)
    {
        SnapshotPaths.Add(path);
        return Task.FromResult(new Snapshot("/snapshots/" + sha + (path is null ? "" : "/own"), new MemoryStream()));
    }

    /// <summary>The app directory's id per commit; by default each commit's differs (the commit itself).</summary>
    public Dictionary<string, string> DirectoryIds { get; } = [];

    public List<string> DirectoryIdLookups { get; } = [];

    public Task<string?> DirectoryIdAsync(SourceSpec source, string sha, CancellationToken cancellationToken)
    {
        DirectoryIdLookups.Add(sha);
        return Task.FromResult<string?>(DirectoryIds.GetValueOrDefault(sha, sha));
    }

    public Task<bool> IsBranchAsync(SourceSpec source, CancellationToken cancellationToken) => Task.FromResult(IsBranch);

    public Task<RevertOutcome> RevertAsync(SourceSpec source, string? toSha, string? commit, string requestedBy,
        CancellationToken cancellationToken)
    {
        Reverts.Add((toSha, commit));
        var revert = Commit($"{Reverts.Count:D40}".Replace('0', 'e'));
        return Task.FromResult(new RevertOutcome(revert, [commit ?? "reverted"]));
    }
}

/// <summary>Renders one ConfigMap naming the revision, or fails with <see cref="Failure"/>.</summary>
internal sealed class FakeRenderer : IAppRenderer
{
    public Exception? Failure { get; set; }

    public int Renders { get; private set; }

    /// <summary>Fails on a snapshot of the app's own directory (like a Kustomize base outside it).</summary>
    public bool ReadsOutsideItsDirectory { get; set; }

    public Task<IReadOnlyList<JsonObject>> RenderAsync(Snapshot snapshot, RevisionInfo revision, Application app,
        CancellationToken cancellationToken)
    {
        Renders++;
        if (ReadsOutsideItsDirectory && snapshot.Root.EndsWith("/own", StringComparison.Ordinal))
        {
            return Task.FromException<IReadOnlyList<JsonObject>>(new DirectoryNotFoundException("../base: not in the snapshot"));
        }

        if (Failure is { } failure)
        {
            return Task.FromException<IReadOnlyList<JsonObject>>(failure);
        }

        IReadOnlyList<JsonObject> objects =
        [
            new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = "cm" },
                ["data"] = new JsonObject { ["revision"] = revision.Sha },
            },
        ];
        return Task.FromResult(objects);
    }
}

/// <summary>Live state is the revision last synced; it is out of sync until the compared revision is synced,
/// or while <see cref="Drifted"/>. Records every sync.</summary>
internal sealed class FakeCluster : IClusterGateway
{
    private bool drifted;
    private long liveVersion;

    public string? Applied { get; private set; }

    /// <summary>A live edit: the watches see it, so the live version moves.</summary>
    public bool Drifted
    {
        get => drifted;
        set
        {
            drifted = value;
            liveVersion++;
        }
    }

    /// <summary>Syncs fail (the engine reports Failed) while set.</summary>
    public bool FailSyncs { get; set; }

    public Exception? CompareFailure { get; set; }

    public List<(string Revision, SyncParameters Parameters)> Syncs { get; } = [];

    /// <summary>Stages each sync reports, as the engine would for a sync with hooks or waves.</summary>
    public List<SyncProgress> Progress { get; } = [];

    /// <summary>Runs after each reported stage (tests look at the saved status there).</summary>
    public Action? AfterProgress { get; set; }

    public List<string> Compares { get; } = [];

    public long LiveVersion(Application app) => liveVersion;

    public Task<Comparison> CompareAsync(Application app, string revision, IReadOnlyList<JsonObject> desired,
        CancellationToken cancellationToken)
    {
        Compares.Add(revision);
        if (CompareFailure is { } failure)
        {
            return Task.FromException<Comparison>(failure);
        }

        var status = Applied == revision && !Drifted ? SyncState.Synced : SyncState.OutOfSync;
        var resource = new ResourceState("", "v1", "ConfigMap", app.Spec.Destination.Namespace, "cm", status,
            Applied is null ? HealthState.Missing : HealthState.Healthy, Missing: Applied is null);
        return Task.FromResult(new Comparison([resource], [], resource.Health));
    }

    public async Task<SyncReport> SyncAsync(Application app, string revision, IReadOnlyList<JsonObject> desired,
        SyncParameters parameters, CancellationToken cancellationToken)
    {
        if (parameters.DryRun)
        {
            return new SyncReport(SyncOutcome.Succeeded, "dry run: 1 change(s)",
                [new ResourceSyncResult("", "ConfigMap", "demo", "cm", ResourceAction.Configured, "dry run")]);
        }

        Syncs.Add((revision, parameters));
        foreach (var progress in Progress)
        {
            await parameters.OnProgress!(progress, cancellationToken);
            AfterProgress?.Invoke();
        }

        if (FailSyncs)
        {
            return new SyncReport(SyncOutcome.Failed, "admission webhook denied the request",
                [new ResourceSyncResult("", "ConfigMap", "demo", "cm", ResourceAction.Failed, "denied")]);
        }

        var action = Applied is null ? ResourceAction.Created : ResourceAction.Configured;
        (Applied, Drifted) = (revision, false);
        return new SyncReport(SyncOutcome.Succeeded, "successfully synced",
            [new ResourceSyncResult("", "ConfigMap", "demo", "cm", action)])
        {
            Log = [$"start: revision {revision}: 1 objects", "sync: done"],
        };
    }
}
