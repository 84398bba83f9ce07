using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Controller.Triggers;

namespace GitOps.Controller.HighAvailability;

/// <summary>
/// Runs the sync loop and the drift watcher only while this replica leads: fresh instances per leadership
/// term. Leadership lost → in-flight reconciles are abandoned at once (another replica may lead soon); a host
/// stop → they get <see cref="ControllerOptions.ShutdownGrace"/> to finish. Under dynamic sharding "leading" means
/// holding at least one shard; a shard gained while leading queues its apps, a shard lost cancels its in-flight
/// reconciles (the loop no longer takes its apps).
/// </summary>
internal sealed class LeaderScopedWork(
    Leadership leadership,
    ShardOwnership shards,
    ApplicationRegistry registry,
    WorkQueue queue,
    IServiceProvider services,
    ILogger<LeaderScopedWork> logger) : BackgroundService
{
    private readonly Lock gate = new();
    private Term? current;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        shards.Changed += OnShardsChanged;
        try
        {
            await FollowLeadershipAsync(stoppingToken);
        }
        finally
        {
            shards.Changed -= OnShardsChanged;
        }
    }

    /// <summary>A host disposed without being stopped (a crash, as far as the other replicas can tell) must not
    /// leave its loop running: its reconciles are abandoned.</summary>
    public override void Dispose()
    {
        Term? term;
        lock (gate)
        {
            (term, current) = (current, null);
        }

        term?.Loop.Abandon();
        term?.Watcher.Dispose();
        term?.Loop.Dispose();
        base.Dispose();
    }

    private void OnShardsChanged(ShardChange change)
    {
        ControllerLoop? loop;
        lock (gate)
        {
            loop = current?.Loop;
        }

        if (loop is null)
        {
            return; // a term that starts queues every app it owns
        }

        if (change.Lost.Count > 0)
        {
            loop.AbandonUnowned();
        }

        if (change.Gained.Count > 0)
        {
            var queued = 0;
            foreach (var app in registry.Unordered)
            {
                if (change.Gained.Contains(ShardFilter.ShardOf(app.Name, shards.Count)))
                {
                    queue.Add(app.Name, Trigger.SpecChange);
                    queued++;
                }
            }

            logger.LogInformation("Shard(s) {Shards} gained: {Count} application(s) queued", string.Join(',', change.Gained), queued);
        }
    }

    private async Task FollowLeadershipAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var change = leadership.WaitForChangeAsync(stoppingToken);
            if (leadership.IsLeader)
            {
                await StartTermAsync(stoppingToken);
                try
                {
                    await change;
                }
                catch (OperationCanceledException)
                {
                    return; // StopAsync ends the term gracefully
                }

                if (!leadership.IsLeader)
                {
                    await EndTermAsync(abandon: true, CancellationToken.None);
                }

                continue;
            }

            try
            {
                await change;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await EndTermAsync(abandon: false, cancellationToken);
    }

    private async Task StartTermAsync(CancellationToken cancellationToken)
    {
        var term = new Term(
            ActivatorUtilities.CreateInstance<ControllerLoop>(services),
            ActivatorUtilities.CreateInstance<DriftWatcher>(services));
        lock (gate)
        {
            current = term;
        }

        logger.LogInformation("Leading: sync loop and drift watches started");
        await term.Loop.StartAsync(cancellationToken);
        await term.Watcher.StartAsync(cancellationToken);
    }

    private async Task EndTermAsync(bool abandon, CancellationToken cancellationToken)
    {
        Term? term;
        lock (gate)
        {
            (term, current) = (current, null);
        }

        if (term is null)
        {
            return;
        }

        if (abandon)
        {
            term.Loop.Abandon();
        }

        await term.Watcher.StopAsync(cancellationToken);
        await term.Loop.StopAsync(cancellationToken);
        term.Watcher.Dispose();
        term.Loop.Dispose();
        logger.LogInformation("Sync loop and drift watches stopped ({Reason})", abandon ? "leadership lost" : "shutdown");
    }

    private sealed record Term(ControllerLoop Loop, DriftWatcher Watcher);
}
