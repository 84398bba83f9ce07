using GitOps.Controller.Reconcile;
using GitOps.Engine;

namespace GitOps.Controller.Tests.Reconcile;

/// <summary>A compare that finds what the last one found keeps the status's resources: the status is then equal
/// apart from reconciledAt (the stores do not write it again) and holds no second copy of them.</summary>
public sealed class UnchangedComparisonTests
{
    [Fact]
    public async Task Resources_found_again_are_the_same_list()
    {
        var world = ReconcilerWorld.SelfHealing();
        await world.PassAsync(); // syncs
        var before = await world.PassAsync();
        var compares = world.Cluster.Compares.Count;

        // A spec change that does not change what is rendered: compared again, found the same.
        var app = world.Registry.Find(ReconcilerWorld.Name)!;
        world.Registry.Upsert(app with { Spec = app.Spec with { RevisionHistoryLimit = 3 } });
        var after = await world.PassAsync(Trigger.SpecChange);

        Assert.Equal(compares + 1, world.Cluster.Compares.Count);
        Assert.Same(before.Resources, after.Resources);
        Assert.True(after.SameApartFromReconciledAt(before));
    }

    [Fact]
    public async Task Resources_that_changed_are_taken()
    {
        var world = new ReconcilerWorld(spec => spec with { SyncPolicy = null });
        var missing = await world.PassAsync();
        await world.SyncAsync();

        var synced = await world.PassAsync(Trigger.Manual);

        Assert.NotSame(missing.Resources, synced.Resources);
        Assert.Equal((SyncState.OutOfSync, SyncState.Synced), (missing.Resources[0].Status, synced.Resources[0].Status));
    }
}
