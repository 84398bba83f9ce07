using System.Collections.Concurrent;
using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Engine;

namespace GitOps.Controller.Triggers;

/// <summary>Queues an app when one of its live objects changes (someone edited or deleted it), so drift is
/// noticed in seconds; the reconciler decides whether to self-heal.</summary>
internal sealed class DriftWatcher(
    ApplicationRegistry registry,
    IClusterEngine engine,
    WorkQueue queue,
    TimeProvider clock,
    ILogger<DriftWatcher> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> watches = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Started once per leadership term: unsubscribe when the term ends so no stale handler remains.
        Action<string> onChanged = name => Sync(name, stoppingToken);
        registry.Changed += onChanged;
        foreach (var app in registry.All)
        {
            Sync(app.Name, stoppingToken);
        }

        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, clock, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            registry.Changed -= onChanged;
            foreach (var cts in watches.Values)
            {
                cts.Cancel();
            }
        }
    }

    private void Sync(string name, CancellationToken stoppingToken)
    {
        var declared = registry.Find(name) is not null;
        if (!declared && watches.TryRemove(name, out var stale))
        {
            stale.Cancel();
            stale.Dispose();
        }
        else if (declared && !watches.ContainsKey(name))
        {
            var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            if (watches.TryAdd(name, cts))
            {
                _ = WatchAsync(name, cts.Token);
            }
            else
            {
                cts.Dispose();
            }
        }
    }

    private async Task WatchAsync(string app, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in engine.WatchAsync(app, cancellationToken))
                {
                    logger.LogDebug("Application {App}: live {Kind} {Name} {Change}", app, change.Key.Kind, change.Key.Name, change.Type);
                    queue.Add(app, Trigger.Drift);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("Application {App}: live watch failed, retrying: {Error}", app, e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), clock, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
