using GitOps.Controller.Reconcile;
using GitOps.Engine;

namespace GitOps.Controller.Tests.Reconcile;

/// <summary>A pass whose spec, commit and live objects are those of the last all-in-sync pass reuses that
/// comparison (no render, no compare); any of them changing brings the full pass back.</summary>
public sealed class SteadyPassTests
{
    [Fact]
    public async Task An_unchanged_app_is_neither_rendered_nor_compared_again()
    {
        var world = ReconcilerWorld.SelfHealing();
        await world.PassAsync(); // syncs
        await world.PassAsync(); // compares and finds it in sync
        var (renders, compares) = (world.Renderer.Renders, world.Cluster.Compares.Count);

        var status = await world.PassAsync();
        await world.PassAsync(Trigger.Drift);

        Assert.Equal((renders, compares), (world.Renderer.Renders, world.Cluster.Compares.Count));
        Assert.Equal((SyncState.Synced, HealthState.Healthy), (status.Sync, status.Health));
        Assert.Single(world.Cluster.Syncs);
    }

    [Fact]
    public async Task A_live_change_is_compared_and_healed()
    {
        var world = ReconcilerWorld.SelfHealing();
        await world.PassAsync();
        await world.PassAsync();
        world.Cluster.Drifted = true;

        var healed = await world.PassAsync(Trigger.Drift);

        Assert.Equal(2, world.Cluster.Syncs.Count);
        Assert.Equal(SyncState.Synced, healed.Sync);
    }

    [Fact]
    public async Task A_new_commit_is_rendered_and_synced()
    {
        var world = new ReconcilerWorld();
        await world.PassAsync();
        await world.PassAsync();
        var renders = world.Renderer.Renders;

        var sha = world.Git.Commit("2222222222222222222222222222222222222222");
        var status = await world.PassAsync(Trigger.Webhook);

        Assert.True(world.Renderer.Renders > renders);
        Assert.Equal(sha, world.Cluster.Syncs[^1].Revision);
        Assert.Equal(sha, status.Revision!.Sha);
    }

    [Fact]
    public async Task A_spec_change_is_compared_again()
    {
        var world = new ReconcilerWorld();
        await world.PassAsync();
        await world.PassAsync();
        var compares = world.Cluster.Compares.Count;

        var app = world.Registry.Find(ReconcilerWorld.Name)!;
        world.Registry.Upsert(app with { Spec = app.Spec with { RevisionHistoryLimit = 3 } });
        await world.PassAsync(Trigger.SpecChange);

        Assert.Equal(compares + 1, world.Cluster.Compares.Count);
    }

    [Fact]
    public async Task An_out_of_sync_app_is_compared_every_pass()
    {
        // Not automated: it stays OutOfSync, and such a comparison is never reused.
        var world = new ReconcilerWorld(spec => spec with { SyncPolicy = null });
        await world.PassAsync();
        await world.PassAsync();

        await world.PassAsync();

        Assert.Equal(3, world.Cluster.Compares.Count);
        Assert.Empty(world.Cluster.Syncs);
    }

    [Fact]
    public async Task A_manual_sync_always_renders_and_compares()
    {
        var world = new ReconcilerWorld();
        await world.PassAsync();
        await world.PassAsync();
        var compares = world.Cluster.Compares.Count;

        await world.SyncAsync(dryRun: true);

        Assert.True(world.Cluster.Compares.Count > compares);
    }
}
