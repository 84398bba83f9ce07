using System.Collections.Concurrent;
using GitOps.Controller.Applications;
using GitOps.Primitives;
using Microsoft.Extensions.Options;

namespace GitOps.Controller.Reconcile;

/// <summary>The sync loop: workers take apps off the queue and reconcile them; each app is re-queued by its
/// interval (jittered) after success, or with exponential backoff after a failure. One app's failure never
/// stalls the others. On stop, workers take nothing new (whatever is still queued is simply dropped: the next start
/// queues every app again) and in-flight reconciles get ShutdownGrace to finish, never longer than the host's
/// shutdown timeout allows; then they are cancelled. A cancelled pass saves nothing more: the app keeps the status
/// a kill at that moment would leave (a sync in progress stays Running and is recorded on the next start), and the
/// state store writes atomically, so nothing is half-written.</summary>
internal sealed class ControllerLoop(
    WorkQueue queue,
    Reconciler reconciler,
    ApplicationRegistry registry,
    IOptions<ControllerOptions> options,
    TimeProvider clock,
    IReplicaScope replica,
    IReconcileMetrics metrics,
    IHostApplicationLifetime host,
    MemoryRelease memory,
    ILogger<ControllerLoop> logger) : BackgroundService
{
    private readonly Dictionary<string, int> failures = new();
    private readonly Lock failuresGate = new();
    private readonly CancellationTokenSource inflight = new();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> passes = new(StringComparer.Ordinal);

    /// <summary>Cancels in-flight reconciles now (leadership lost: another replica may lead soon).</summary>
    public void Abandon() => inflight.Cancel();

    /// <summary>Stops taking work and waits for the in-flight reconciles; when the host's shutdown timeout passes
    /// (<paramref name="cancellationToken"/>) before ShutdownGrace, they are cancelled then.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (ExecuteTask is { IsCompleted: false })
        {
            inflight.Cancel(); // the host's timeout came first: the passes still running are cancelled now
        }
    }

    /// <summary>Cancels the in-flight reconciles of apps this replica no longer owns (a shard lost or handed
    /// over); the others go on.</summary>
    public void AbandonUnowned()
    {
        foreach (var (app, pass) in passes)
        {
            if (!replica.Owns(app))
            {
                try
                {
                    pass.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The pass ended meanwhile.
                }
            }
        }
    }

    /// <summary>Stops the workers and cancels what is in flight. The source is cancelled, not disposed: a loop
    /// disposed without being stopped first (its host disposed) still has workers reading its token.</summary>
    public override void Dispose()
    {
        base.Dispose();
        inflight.Cancel();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The host stops its services one after the other, the API server first (which waits for open requests):
        // take no more work from the moment the stop begins, not from when this loop's turn comes.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, host.ApplicationStopping);
        stoppingToken = stopping.Token;
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
                if (queue.Depth == 0 && passes.IsEmpty && memory.WhenIdle())
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
            using var pass = CancellationTokenSource.CreateLinkedTokenSource(inflight.Token);
            passes[app] = pass;
            try
            {
                ok = await reconciler.ReconcileAsync(app, trigger, queuedAt, pass.Token);
                metrics.RecordReconcile(clock.GetElapsedTime(started), ok);
            }
            catch (Exception e) when (inflight.IsCancellationRequested)
            {
                // Whatever a cancelled pass ends with (a cancellation, or a stage torn down under it) is the stop.
                logger.LogInformation("Application {App}: in-flight reconcile abandoned (stopping: {Reason})", app, e.GetType().Name);
                return;
            }
            catch (Exception e) when (pass.IsCancellationRequested)
            {
                logger.LogInformation("Application {App}: in-flight reconcile abandoned (its shard moved to another replica: {Reason})",
                    app, e.GetType().Name);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Application {App}: reconcile crashed", app);
            }
            finally
            {
                passes.TryRemove(app, out _);
                queue.Done(app);
                memory.PassDone();
            }

            // An app whose shard moved away meanwhile is the new holder's to schedule.
            if (registry.Find(app) is not null && replica.Owns(app))
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
