using System.Collections.Concurrent;
using System.Threading.Channels;
using GitOps.Engine.Cluster;
using GitOps.Engine.Tracking;
using Microsoft.Extensions.Logging;

namespace GitOps.Engine.Cache;

/// <summary>
/// Live state of every object carrying the app label, per resource type, kept current by watches. Started for
/// all watchable kinds on first use (so objects of kinds an app no longer renders are still found for
/// pruning) but the control plane's own high-churn kinds (<see cref="WatchedFromStart"/>), and for any other
/// kind/version when first asked for. Objects another installation stamped are cached
/// (they carry the label) but tracked by none of our apps.
/// </summary>
internal sealed class LiveStateCache(KubeApi api, ApiDiscovery discovery, string? installationId, TimeProvider clock, ILogger logger)
    : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Group, string Version, string Plural), Lazy<Informer>> informers = new();
    // Per app, so a watch event reaches its app's subscribers without visiting every app's.
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, ChannelWriter<LiveChange>>> subscribers = new();
    // Every app's changes: one subscription instead of one per app (tens of thousands of apps).
    private readonly ConcurrentDictionary<Guid, ChannelWriter<LiveChange>> everyApp = new();
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> loops = [];
    private bool stopped;
    private readonly SemaphoreSlim startLock = new(1, 1);
    private static readonly TimeSpan Rediscovery = TimeSpan.FromMinutes(5);
    private DateTimeOffset discoveredAt = DateTimeOffset.MinValue;

    // Per app, the sequence number of the last change to an object it tracks (or tracked): lets a caller tell,
    // without looking at the objects, that nothing of an app changed since it last compared.
    private readonly ConcurrentDictionary<string, long> lastChange = new();
    private long changes;

    // Kinds watched only once asked for (an app renders one): the control plane writes them all the time, and
    // Endpoints and EndpointSlices copy their Service's labels, ours included, so each Service an app syncs would
    // bring two more objects to cache and a watch event, and the app a new live version, whenever its Pods come and
    // go. Argo CD excludes the same kinds by default.
    private static readonly HashSet<(string Group, string Kind)> OnDemandOnly =
    [
        ("", "Endpoints"), ("discovery.k8s.io", "EndpointSlice"), ("coordination.k8s.io", "Lease"), ("", "Event"),
        ("events.k8s.io", "Event"),
    ];

    /// <summary>Whether a kind is watched from the start (every other is watched once first asked for).</summary>
    internal static bool WatchedFromStart(ResourceType type) => type.Watchable && !OnDemandOnly.Contains((type.Group, type.Kind));

    /// <summary>Starts watching every watchable kind; later calls re-run discovery every few minutes so kinds
    /// served by new CRDs are watched too (their objects can then be found for pruning).</summary>
    public async Task EnsureStartedAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref stopped), this);
        if (clock.GetUtcNow() - discoveredAt < Rediscovery)
        {
            return;
        }

        await startLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (clock.GetUtcNow() - discoveredAt >= Rediscovery)
            {
                if (discoveredAt != DateTimeOffset.MinValue)
                {
                    discovery.InvalidateAll();
                }

                var types = (await discovery.PreferredWatchableAsync(ct).ConfigureAwait(false)).Where(WatchedFromStart);
                await Task.WhenAll(types.Select(t => InformerFor(t).Synced)).WaitAsync(ct).ConfigureAwait(false);
                discoveredAt = clock.GetUtcNow();
            }
        }
        finally
        {
            startLock.Release();
        }
    }

    /// <summary>The informer for a type, started (and synced) if it was not.</summary>
    public async Task<Informer> ForTypeAsync(ResourceType type, CancellationToken ct)
    {
        var informer = InformerFor(type);
        await informer.Synced.WaitAsync(ct).ConfigureAwait(false);
        return informer;
    }

    /// <summary>Objects the app owns (its tracking mark, our installation), deduplicated across versions of a kind. Found
    /// through each informer's label index, so the cost is the app's objects, not all objects.</summary>
    public IReadOnlyList<LiveObject> TrackedBy(string app)
    {
        var result = new Dictionary<ResourceKey, LiveObject>();
        foreach (var informer in informers.Values.Where(l => l.IsValueCreated).Select(l => l.Value))
        {
            foreach (var obj in informer.Labelled(app))
            {
                if (obj.OwnerApp(installationId) == app)
                {
                    result.TryAdd(obj.Key, obj);
                }
            }
        }

        return [.. result.Values];
    }

    /// <summary>Changes with every watched addition, change or deletion of an object labelled or marked for the
    /// app (including one that leaves it); equal values mean nothing of the app's live state changed.</summary>
    public long VersionOf(string app) => lastChange.GetValueOrDefault(app);

    public ChannelReader<LiveChange> Subscribe(string app, CancellationToken ct)
    {
        var channel = Channel.CreateBounded<LiveChange>(new BoundedChannelOptions(1024)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
        });
        var id = Guid.NewGuid();
        subscribers.GetOrAdd(app, _ => new())[id] = channel.Writer;
        ct.Register(() =>
        {
            if (subscribers.TryGetValue(app, out var writers))
            {
                writers.TryRemove(id, out _);
            }

            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }

    /// <summary>Changes to objects tracked by any app, none dropped (the reader keeps up: it only queues apps).</summary>
    public ChannelReader<LiveChange> SubscribeAll(CancellationToken ct)
    {
        var channel = Channel.CreateUnbounded<LiveChange>(new UnboundedChannelOptions { SingleReader = true });
        var id = Guid.NewGuid();
        everyApp[id] = channel.Writer;
        ct.Register(() =>
        {
            everyApp.TryRemove(id, out _);
            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }

    /// <summary>Stops every watch and waits for them to end; idempotent. No watch starts afterwards (the cache
    /// then refuses use with <see cref="ObjectDisposedException"/>), so the caller may dispose the Kubernetes
    /// client once this returns. The token and the semaphore are left to the GC: a caller still inside
    /// <see cref="EnsureStartedAsync"/> (a pass being cancelled) must not meet a disposed one.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] running;
        lock (loops)
        {
            stopped = true; // under the lock: no loop is added after the snapshot below
            running = [.. loops];
        }

        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            // A loop ends quietly once stopped (Informer.RunAsync); only one that had already died can throw here.
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogWarning("A watch had ended with an error before the stop: {Error}", e.Message);
        }

        foreach (var writer in subscribers.Values.SelectMany(w => w.Values).Concat(everyApp.Values))
        {
            writer.TryComplete();
        }
    }

    private Informer InformerFor(ResourceType type) =>
        informers.GetOrAdd((type.Group, type.Version, type.Plural), _ => new Lazy<Informer>(() =>
        {
            var informer = new Informer(api, type, Notify, clock, logger);
            lock (loops)
            {
                ObjectDisposedException.ThrowIf(stopped, this);
                loops.Add(Task.Run(() => informer.RunAsync(stop.Token)));
            }

            return informer;
        })).Value;

    private void Notify(LiveChangeType change, LiveObject obj, LiveObject? previous)
    {
        var sequence = Interlocked.Increment(ref changes);
        var owner = obj.OwnerApp(installationId);
        Touch(obj.AppLabel, sequence);
        Touch(owner, sequence);
        Touch(previous?.AppLabel, sequence);
        Touch(previous?.OwnerApp(installationId), sequence);
        if (owner is not { } app)
        {
            return;
        }

        if (!everyApp.IsEmpty)
        {
            var message = new LiveChange(app, change, obj.Key);
            foreach (var writer in everyApp.Values)
            {
                writer.TryWrite(message);
            }
        }

        if (!subscribers.IsEmpty && subscribers.TryGetValue(app, out var writers))
        {
            foreach (var writer in writers.Values)
            {
                writer.TryWrite(new LiveChange(app, change, obj.Key));
            }
        }
    }

    private void Touch(string? app, long sequence)
    {
        if (app is not null)
        {
            lastChange[app] = sequence;
        }
    }
}
