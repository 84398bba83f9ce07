using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Engine;

namespace GitOps.Controller.Tests.Reconcile;

/// <summary>With selfHeal, drift of the synced revision is re-applied by the policy (initiated by "auto").</summary>
public sealed class SelfHealTests
{
    [Fact]
    public async Task Drift_is_re_applied()
    {
        var world = ReconcilerWorld.SelfHealing();
        await world.PassAsync();
        world.Cluster.Drifted = true;

        var healed = await world.PassAsync(Trigger.Drift);

        Assert.Equal(2, world.Cluster.Syncs.Count);
        Assert.All(world.Cluster.Syncs, s => Assert.Equal(world.Git.Head, s.Revision));
        Assert.Equal(SyncState.Synced, healed.Sync);
        Assert.Equal([Initiator.Auto, Initiator.Auto], healed.History.Select(h => h.InitiatedBy));
    }

    [Fact]
    public async Task Nothing_is_applied_when_nothing_drifted()
    {
        var world = ReconcilerWorld.SelfHealing();
        await world.PassAsync();

        await world.PassAsync(Trigger.Drift);
        await world.PassAsync(Trigger.Interval);

        Assert.Single(world.Cluster.Syncs);
    }
}
