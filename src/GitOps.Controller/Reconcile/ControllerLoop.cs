using GitOps.Controller.Hosting;
using Microsoft.Extensions.Options;

namespace GitOps.Controller.Reconcile;

/// <summary>The sync loop: workers take apps off the queue and reconcile them; each app is re-queued by its
/// interval (jittered) after success, or with exponential backoff after a failure. One app's failure never
/// stalls the others.</summary>
internal sealed class ControllerLoop(
    WorkQueue queue,
    Reconciler reconciler,
    ApplicationRegistry registry,
    IOptions<ControllerOptions> options,
    TimeProvider clock,
    ILogger<ControllerLoop> logger) : BackgroundService
{
    private readonly Dictionary<string, int> failures = new();
    private readonly Lock failuresGate = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        registry.Changed += app => queue.Add(app, Trigger.SpecChange);
        foreach (var app in registry.All)
        {
            queue.Add(app.Name, Trigger.SpecChange);
        }

        var workers = Enumerable.Range(0, Math.Max(1, settings.Concurrency))
            .Select(_ => Task.Run(() => WorkAsync(settings, stoppingToken), stoppingToken))
            .ToList();
        using var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(250), clock);
        try
        {
            while (await ticker.WaitForNextTickAsync(stoppingToken))
            {
                queue.PromoteDue();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(workers.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    private async Task WorkAsync(ControllerOptions settings, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            string app;
            Trigger trigger;
            try
            {
                (app, trigger) = await queue.TakeAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var ok = false;
            try
            {
                ok = await reconciler.ReconcileAsync(app, trigger, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Application {App}: reconcile crashed", app);
            }
            finally
            {
                queue.Done(app);
            }

            if (registry.Find(app) is not null)
            {
                queue.AddAfter(app, NextDelay(app, ok, settings), Trigger.Interval);
            }
        }
    }

    private TimeSpan NextDelay(string app, bool ok, ControllerOptions settings)
    {
        lock (failuresGate)
        {
            if (ok)
            {
                failures.Remove(app);
                var jitter = 1 + (Random.Shared.NextDouble() * settings.IntervalJitter);
                return settings.ReconcileInterval * jitter;
            }

            var n = failures[app] = failures.GetValueOrDefault(app) + 1;
            var backoff = settings.RetryBase * Math.Pow(2, Math.Min(n - 1, 16));
            return backoff < settings.RetryMax ? backoff : settings.RetryMax;
        }
    }
}
