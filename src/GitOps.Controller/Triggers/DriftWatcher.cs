using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Engine;

namespace GitOps.Controller.Triggers;

/// <summary>Queues an app when one of its live objects changes (someone edited or deleted it), so drift is
/// noticed in seconds; the reconciler decides whether to self-heal. One subscription serves every app (a
/// watch per app would cost a channel and a task each: megabytes at tens of thousands of apps).</summary>
internal sealed class DriftWatcher(
    ApplicationRegistry registry,
    IClusterEngine engine,
    WorkQueue queue,
    TimeProvider clock,
    ILogger<DriftWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in engine.WatchAllAsync(stoppingToken))
                {
                    if (registry.Find(change.App) is null)
                    {
                        continue; // an object left behind by a removed app: nobody to queue
                    }

                    logger.LogDebug("Application {App}: live {Kind} {Name} {Change}", change.App, change.Key.Kind,
                        change.Key.Name, change.Type);
                    queue.Add(change.App, Trigger.Drift);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("Live watch failed, retrying: {Error}", e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
