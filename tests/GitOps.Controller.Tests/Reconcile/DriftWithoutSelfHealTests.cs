using GitOps.Controller.Reconcile;
using GitOps.Engine;

namespace GitOps.Controller.Tests.Reconcile;

/// <summary>Without selfHeal, drift of an already-synced revision is reported, not undone.</summary>
public sealed class DriftWithoutSelfHealTests
{
    [Fact]
    public async Task Drift_of_the_synced_revision_stays_out_of_sync()
    {
        var world = new ReconcilerWorld();
        await world.PassAsync();
        world.Cluster.Drifted = true;

        var drift = await world.PassAsync(Trigger.Drift);
        var interval = await world.PassAsync(Trigger.Interval);

        Assert.Single(world.Cluster.Syncs);
        Assert.Equal(SyncState.OutOfSync, drift.Sync);
        Assert.Equal(SyncState.OutOfSync, interval.Sync);
        Assert.Single(interval.History);
    }
}
