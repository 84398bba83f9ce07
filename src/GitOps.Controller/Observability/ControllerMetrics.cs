using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Engine;

namespace GitOps.Controller.Observability;

/// <summary>
/// The controller's instruments (System.Diagnostics.Metrics, meter "GitOps.Controller"). Names are already in
/// Prometheus form so the exposition needs no renaming. One instance per host, so two controllers in one process
/// (tests) never mix their series.
/// </summary>
internal sealed class ControllerMetrics : IReconcileMetrics
{
    public const string MeterName = "GitOps.Controller";

    private readonly ConcurrentDictionary<string, (SyncState Sync, HealthState Health)> statuses = new();
    private readonly Histogram<double> reconcileDuration;
    private readonly Histogram<double> syncDuration;
    private readonly Counter<long> syncs;
    private readonly Histogram<double> gitFetchDuration;
    private readonly Counter<long> gitFetchFailures;

    public ControllerMetrics(IMeterFactory meterFactory, ApplicationRegistry registry, WorkQueue queue,
        IReplicaScope replica, IServiceProvider services)
    {
        Meter = meterFactory.Create(MeterName);
        reconcileDuration = Meter.CreateHistogram<double>("gitops_reconcile_duration_seconds", "s",
            "Duration of one reconcile pass of one application (resolve, render, compare, auto-sync, status).");
        syncDuration = Meter.CreateHistogram<double>("gitops_sync_duration_seconds", "s",
            "Duration of one sync (apply and prune) of one application.");
        syncs = Meter.CreateCounter<long>("gitops_sync_total", null, "Syncs by result (Succeeded, Failed).");
        gitFetchDuration = Meter.CreateHistogram<double>("gitops_git_fetch_duration_seconds", "s",
            "Duration of resolving an application's revision (remote refs compared, fetched when they moved).");
        gitFetchFailures = Meter.CreateCounter<long>("gitops_git_fetch_failures_total", null,
            "Failed revision resolutions (fetch or ls-remote errors).");
        Meter.CreateObservableGauge("gitops_apps_by_sync_status", () => CountBy(registry, s => s.Sync.ToString(), "sync_status",
            AppSyncStates), null, "Declared applications by sync status.");
        Meter.CreateObservableGauge("gitops_apps_by_health_status", () => CountBy(registry, s => s.Health.ToString(), "health_status",
            Enum.GetNames<HealthState>()), null, "Declared applications by health status.");
        Meter.CreateObservableGauge("gitops_workqueue_depth", () => queue.Depth, null, "Applications waiting in the work queue.");
        Meter.CreateObservableGauge("gitops_leader", () => replica.IsLeader ? 1 : 0, null,
            "1 when this replica is the leader (always 1 without --leader-elect).");
        Meter.CreateObservableGauge("gitops_shards_held", () => replica.ShardsHeld is { } held ? [new Measurement<int>(held)] : Array.Empty<Measurement<int>>(),
            null, "Shards this replica holds under dynamic sharding (--shards); absent otherwise.");
        // The engine is resolved lazily: a scrape before the first reconcile must not fail on it.
        Meter.CreateObservableCounter("gitops_engine_api_calls_total", () => EngineCalls(services), null,
            "Kubernetes API calls made by the cluster engine, by kind (read, dry_run, write).");
    }

    // An app is Unknown, Synced or OutOfSync; Missing and Extraneous describe single resources.
    private static readonly string[] AppSyncStates =
        [nameof(SyncState.Unknown), nameof(SyncState.Synced), nameof(SyncState.OutOfSync)];

    public Meter Meter { get; }

    public void RecordReconcile(TimeSpan elapsed, bool ok) =>
        reconcileDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("result", ok ? "ok" : "error"));

    public void RecordSync(TimeSpan elapsed, SyncOutcome outcome)
    {
        var result = new KeyValuePair<string, object?>("result", outcome.ToString());
        syncDuration.Record(elapsed.TotalSeconds, result);
        syncs.Add(1, result);
    }

    public void RecordGitFetch(TimeSpan elapsed, bool ok)
    {
        gitFetchDuration.Record(elapsed.TotalSeconds);
        if (!ok)
        {
            gitFetchFailures.Add(1);
        }
    }

    /// <summary>The last status saved or read for an app (fed by the state store decorator).</summary>
    public void ObserveStatus(string app, AppStatus status) => statuses[app] = (status.Sync, status.Health);

    private IEnumerable<Measurement<long>> CountBy(ApplicationRegistry registry, Func<(SyncState Sync, HealthState Health), string> key,
        string label, string[] values)
    {
        var counts = values.ToDictionary(v => v, _ => 0L);
        foreach (var app in registry.Unordered)
        {
            var state = statuses.GetValueOrDefault(app.Name, (SyncState.Unknown, HealthState.Unknown));
            counts[key(state)]++;
        }

        return counts.Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>(label, c.Key)));
    }

    private static IEnumerable<Measurement<long>> EngineCalls(IServiceProvider services)
    {
        if (services.GetService(typeof(IClusterEngine)) is not IClusterEngine engine)
        {
            return [];
        }

        var calls = engine.ApiCalls;
        return
        [
            new Measurement<long>(calls.Reads, new KeyValuePair<string, object?>("kind", "read")),
            new Measurement<long>(calls.DryRuns, new KeyValuePair<string, object?>("kind", "dry_run")),
            new Measurement<long>(calls.Writes, new KeyValuePair<string, object?>("kind", "write")),
        ];
    }
}

/// <summary>Times a block for a metric.</summary>
internal readonly struct Elapsed(long started)
{
    public static Elapsed Start() => new(Stopwatch.GetTimestamp());

    public TimeSpan Value => Stopwatch.GetElapsedTime(started);
}
