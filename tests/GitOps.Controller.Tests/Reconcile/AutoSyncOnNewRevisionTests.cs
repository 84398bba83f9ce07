using GitOps.Applications;
using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Engine;

namespace GitOps.Controller.Tests.Reconcile;

/// <summary>An automated app syncs each new revision once; a manual app never syncs by itself.</summary>
public sealed class AutoSyncOnNewRevisionTests
{
    [Fact]
    public async Task Each_new_revision_is_synced_once()
    {
        var world = new ReconcilerWorld();

        var first = await world.PassAsync();
        Assert.Equal([world.Git.Head], world.Cluster.Syncs.Select(s => s.Revision));
        Assert.Equal(SyncState.Synced, first.Sync);
        Assert.True(world.Cluster.Syncs[0].Parameters.Prune, "automated.prune reaches the sync");

        await world.PassAsync();
        Assert.Single(world.Cluster.Syncs);

        var second = world.Git.Commit("2222222222222222222222222222222222222222");
        var after = await world.PassAsync();
        Assert.Equal(second, world.Cluster.Syncs[^1].Revision);
        Assert.Equal(2, world.Cluster.Syncs.Count);
        Assert.Equal(second, after.Revision?.Sha);
        Assert.Equal(SyncState.Synced, after.Sync);
    }

    [Fact]
    public async Task A_manual_app_is_compared_but_never_synced_by_a_pass()
    {
        var world = new ReconcilerWorld(spec => spec with { SyncPolicy = null });

        var status = await world.PassAsync(Trigger.SpecChange);

        Assert.Empty(world.Cluster.Syncs);
        Assert.Equal(SyncState.OutOfSync, status.Sync);
        Assert.Empty(status.History);
    }
}
