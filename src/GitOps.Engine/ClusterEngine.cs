using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using GitOps.Engine.Cache;
using GitOps.Engine.Cluster;
using GitOps.Engine.Diff;
using GitOps.Engine.Health;
using GitOps.Engine.Sync;
using k8s;
using Microsoft.Extensions.Logging;

namespace GitOps.Engine;

/// <summary>Compares, syncs and watches apps' objects on one cluster.</summary>
public interface IClusterEngine : IAsyncDisposable
{
    /// <summary>Per-resource Synced/OutOfSync/Missing/Extraneous with diffs and health. A steady-state compare
    /// (nothing changed since the last one) makes no API calls.</summary>
    Task<ComparisonResult> CompareAsync(AppTarget app, DesiredSet desired, ComparisonOptions options, CancellationToken ct);

    /// <summary>Applies what is out of sync (ordered, with hooks), prunes when asked, reports per resource.</summary>
    Task<SyncResult> SyncAsync(AppTarget app, DesiredSet desired, SyncOptions options, CancellationToken ct);

    /// <summary>Changes to live objects tracked by the app, as the watches see them (for self-heal).</summary>
    IAsyncEnumerable<LiveChange> WatchAsync(string app, CancellationToken ct);

    /// <summary>Changes to live objects tracked by any app (<see cref="LiveChange.App"/> names it): one
    /// subscription for a controller of many apps instead of one each.</summary>
    IAsyncEnumerable<LiveChange> WatchAllAsync(CancellationToken ct);

    /// <summary>Changes whenever the watches see an object the app tracks added, changed or deleted (one leaving
    /// the app included). Equal values before two compares of the same desired set mean the second would find
    /// what the first did.</summary>
    long LiveVersion(string app);

    /// <summary>API calls made so far.</summary>
    ApiCallCounts ApiCalls { get; }

    /// <summary>One object as the API server has it now, for display: Secret values masked, managedFields left out;
    /// null when it does not exist or its kind is not served.</summary>
    Task<JsonObject?> GetLiveAsync(string apiVersion, string kind, string? ns, string name, CancellationToken ct);
}

/// <summary>The cluster engine over one API server. One instance per cluster; it is thread-safe, but sync one
/// app at a time (the controller's per-app lock). It takes the concrete <see cref="Kubernetes"/> client: it
/// speaks to the API server generically over that client's HttpClient, base address and credentials, which
/// <see cref="IKubernetes"/> does not expose (a fake IKubernetes could not serve it anyway; the engine is tested
/// against a real API server).</summary>
/// <remarks>With an installation ID every object it applies is stamped with it, and objects another installation
/// stamped are not its apps' (<see cref="Installation"/>): several controllers can share a cluster even when
/// their apps share names.</remarks>
public sealed class ClusterEngine : IClusterEngine
{
    private readonly KubeApi api;
    private readonly ApiDiscovery discovery;
    private readonly LiveStateCache cache;
    private readonly Comparer comparer;
    private readonly Preparer preparer;
    private readonly TimeProvider clock;
    private readonly ILogger logger;

    /// <param name="installationId">This controller's installation ID (<see cref="Installation.Problem"/> says
    /// which are valid); null: none.</param>
    public ClusterEngine(Kubernetes client, TimeProvider clock, ILogger<ClusterEngine> logger, string? installationId = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(clock);
        if (installationId is not null && Installation.Problem(installationId) is { } problem)
        {
            throw new ArgumentException(problem, nameof(installationId));
        }

        this.clock = clock;
        this.logger = logger;
        api = new KubeApi(client, clock);
        discovery = new ApiDiscovery(api, logger);
        cache = new LiveStateCache(api, discovery, installationId, clock, logger);
        comparer = new Comparer(api, cache, EngineAssembly.FieldManager, installationId);
        preparer = new Preparer(discovery, installationId);
    }

    public ApiCallCounts ApiCalls => api.Counts;

    public long LiveVersion(string app) => cache.VersionOf(app);

    public async Task<ComparisonResult> CompareAsync(AppTarget app, DesiredSet desired, ComparisonOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(options);
        await cache.EnsureStartedAsync(ct).ConfigureAwait(false);
        var liveVersion = cache.VersionOf(app.Name); // before comparing: a change during the compare voids its dry runs
        var prepared = await preparer.PrepareAsync(app, desired.Objects, ct).ConfigureAwait(false);
        var resources = prepared.Where(p => !p.IsHook).ToList();
        var plan = await comparer.CompareAsync(app, resources, ComparePolicy.Of(options), ct).ConfigureAwait(false);
        var result = plan.Select(p => p.ToPublic()).ToList();
        foreach (var live in Pruner.Extraneous(cache.TrackedBy(app.Name), prepared))
        {
            result.Add(new ResourceComparison(live.Key, live.Type.ApiVersion, SyncState.Extraneous, live.Health,
                "", "[]", null, live.PruneDisabled));
        }

        result.Sort((a, b) => a.Key.CompareTo(b.Key));
        var comparison = new ComparisonResult(app, result,
            HealthAssessor.Aggregate(result.Where(r => r.State != SyncState.Extraneous).Select(r => r.Health.State)))
        {
            LiveVersion = liveVersion,
        };
        // Most comparisons have nothing absent: they keep the shared empty table.
        return plan.Any(p => p.AbsentDryRun is not null)
            ? comparison with { AbsentDryRuns = plan.Where(p => p.AbsentDryRun is not null).ToDictionary(p => p.Item.Key, p => p.AbsentDryRun!) }
            : comparison;
    }

    public async Task<SyncResult> SyncAsync(AppTarget app, DesiredSet desired, SyncOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(options);
        await cache.EnsureStartedAsync(ct).ConfigureAwait(false);
        var ctx = new SyncContext(api, discovery, cache, comparer, app, options, EngineAssembly.FieldManager, clock, logger);
        return await Syncer.RunAsync(ctx, preparer, desired, ct).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<LiveChange> WatchAsync(string app, [EnumeratorCancellation] CancellationToken ct)
    {
        await cache.EnsureStartedAsync(ct).ConfigureAwait(false);
        var reader = cache.Subscribe(app, ct);
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (reader.TryRead(out var change))
            {
                yield return change;
            }
        }
    }

    public async IAsyncEnumerable<LiveChange> WatchAllAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await cache.EnsureStartedAsync(ct).ConfigureAwait(false);
        var reader = cache.SubscribeAll(ct);
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (reader.TryRead(out var change))
            {
                yield return change;
            }
        }
    }

    public async Task<JsonObject?> GetLiveAsync(string apiVersion, string kind, string? ns, string name, CancellationToken ct)
    {
        if (await discovery.ResolveAsync(apiVersion, kind, ct).ConfigureAwait(false) is not { } type
            || await api.GetAsync(type.ObjectPath(ns is { Length: > 0 } ? ns : null, name), ct).ConfigureAwait(false) is not { } live)
        {
            return null;
        }

        (live["metadata"] as JsonObject)?.Remove("managedFields");
        if (SecretMasker.IsSecret(live))
        {
            SecretMasker.MaskPair(live, null);
            live.Remove("stringData");
            // `kubectl apply` keeps the whole object, values included, in this annotation.
            (live["metadata"]?["annotations"] as JsonObject)?.Remove("kubectl.kubernetes.io/last-applied-configuration");
        }

        return live;
    }

    /// <summary>Stops the watches and waits for them to end (idempotent); the engine refuses further use with
    /// <see cref="ObjectDisposedException"/>. The engine does not own the client: dispose the client after this.</summary>
    public ValueTask DisposeAsync() => cache.DisposeAsync();
}
