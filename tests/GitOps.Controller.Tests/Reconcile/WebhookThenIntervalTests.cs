using GitOps.Controller.Reconcile;
using GitOps.Controller.State;

namespace GitOps.Controller.Tests.Reconcile;

/// <summary>A revision synced by a webhook-triggered pass is not synced again by the next passes: one sync, one
/// history entry.</summary>
public sealed class WebhookThenIntervalTests
{
    [Fact]
    public async Task One_sync_one_entry()
    {
        var world = new ReconcilerWorld();
        await world.PassAsync(Trigger.SpecChange);
        var pushed = world.Git.Commit("4444444444444444444444444444444444444444");

        await world.PassAsync(Trigger.Webhook);
        await world.PassAsync(Trigger.Interval);
        var status = await world.PassAsync(Trigger.Drift);

        Assert.Single(world.Cluster.Syncs, s => s.Revision == pushed);
        var entry = Assert.Single(status.History, h => h.Revision.Sha == pushed);
        Assert.Equal(Initiator.Webhook, entry.InitiatedBy);
    }
}
