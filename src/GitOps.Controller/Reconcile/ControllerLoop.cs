using GitOps.Controller.Applications;
using GitOps.Primitives;
using Microsoft.Extensions.Options;

namespace GitOps.Controller.Reconcile;

/// <summary>The sync loop: workers take apps off the queue and reconcile them; each app is re-queued by its
/// interval (jittered) after success, or with exponential backoff after a failure. One app's failure never
/// stalls the others. On stop, workers take nothing new and in-flight reconciles get ShutdownGrace to finish
/// (then they are cancelled; the state store writes atomically, so nothing is half-written).</summary>
internal sealed class ControllerLoop(
    WorkQueue queue,
    Reconciler reconciler,
    ApplicationRegistry registry,
    IOptions<ControllerOptions> options,
    TimeProvider clock,
    IReplicaScope replica,
    IReconcileMetrics metrics,
    MemoryRelease memory,
    ILogger<ControllerLoop> logger) : BackgroundService
{
    private readonly Dictionary<string, int> failures = new();
    private readonly Lock failuresGate = new();
    private readonly CancellationTokenSource inflight = new();
    private int running;

    /// <summary>Cancels in-flight reconciles now (leadership lost: another replica may lead soon).</summary>
    public void Abandon() => inflight.Cancel();

    public override void Dispose()
    {
        inflight.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        Action<string> onChanged = app => queue.Add(app, Trigger.SpecChange);
        registry.Changed += onChanged;
        foreach (var app in registry.All.Where(a => replica.Owns(a.Name)))
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
                if (queue.Depth == 0 && Volatile.Read(ref running) == 0 && memory.WhenIdle())
                {
                    var gc = GC.GetGCMemoryInfo();
                    logger.LogInformation("Released memory after a burst of passes: GC heap {Heap} MB, {Committed} MB committed",
                        gc.HeapSizeBytes >> 20, gc.TotalCommittedBytes >> 20);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        registry.Changed -= onChanged;
        inflight.CancelAfter(settings.ShutdownGrace);
        await Task.WhenAll(workers.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    private async Task WorkAsync(ControllerOptions settings, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            string app;
            Trigger trigger;
            DateTimeOffset queuedAt;
            try
            {
                (app, trigger, queuedAt) = await queue.TakeAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!replica.Owns(app))
            {
                queue.Done(app); // another shard's app (queued by a watch or webhook): not ours
                continue;
            }

            var ok = false;
            var started = clock.GetTimestamp();
            Interlocked.Increment(ref running);
            try
            {
                ok = await reconciler.ReconcileAsync(app, trigger, queuedAt, inflight.Token);
                metrics.RecordReconcile(clock.GetElapsedTime(started), ok);
            }
            catch (OperationCanceledException) when (inflight.IsCancellationRequested)
            {
                logger.LogInformation("Application {App}: in-flight reconcile abandoned (stopping)", app);
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Application {App}: reconcile crashed", app);
            }
            finally
            {
                queue.Done(app);
                Interlocked.Decrement(ref running);
                memory.PassDone();
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
            return Backoff(registry.Find(app)?.Spec.SyncPolicy?.Retry?.Backoff, n, settings);
        }
    }

    /// <summary>duration × factor^(n-1), capped: the app's retry.backoff when it sets one (as Argo CD's), else the
    /// controller's defaults.</summary>
    internal static TimeSpan Backoff(BackoffSpec? spec, int failures, ControllerOptions settings)
    {
        var (first, factor, max) = (settings.RetryBase, 2.0, settings.RetryMax);
        if (spec is not null && GoDuration.TryParseTimeSpan(spec.Duration, out var d) && GoDuration.TryParseTimeSpan(spec.MaxDuration, out var m))
        {
            (first, factor, max) = (d, Math.Max(1, spec.Factor), m);
        }

        // In seconds, so a large factor saturates at max instead of overflowing TimeSpan.
        var seconds = first.TotalSeconds * Math.Pow(factor, Math.Max(0, failures - 1));
        return seconds < max.TotalSeconds ? TimeSpan.FromSeconds(seconds) : max;
    }
}
