using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Engine;

namespace GitOps.Controller.Tests.Reconcile;

/// <summary>A paused (API) or suspended (spec) app is compared but never synced automatically; a user's sync
/// still runs.</summary>
public sealed class PauseTests
{
    [Theory]
    [InlineData(nameof(Trigger.Interval))]
    [InlineData(nameof(Trigger.Webhook))]
    [InlineData(nameof(Trigger.Drift))]
    [InlineData(nameof(Trigger.SpecChange))]
    public async Task A_paused_app_never_syncs_by_itself(string triggerName)
    {
        var trigger = Enum.Parse<Trigger>(triggerName);
        var world = new ReconcilerWorld();
        await world.Reconciler.SetPausedAsync(ReconcilerWorld.Name, true, CancellationToken.None);

        var status = await world.PassAsync(trigger);

        Assert.Empty(world.Cluster.Syncs);
        Assert.True(status.Paused);
        Assert.Equal(SyncState.OutOfSync, status.Sync);
    }

    [Fact]
    public async Task A_suspended_app_never_syncs_by_itself_but_a_manual_sync_runs()
    {
        var world = new ReconcilerWorld(spec => spec with { Suspended = true });

        var compared = await world.PassAsync(Trigger.SpecChange);
        Assert.Empty(world.Cluster.Syncs);
        Assert.True(compared.Paused);

        var (status, operation) = await world.SyncAsync();
        Assert.Single(world.Cluster.Syncs);
        Assert.Equal(OperationPhase.Succeeded, operation.Phase);
        Assert.Equal(Initiator.User, operation.InitiatedBy);
        Assert.Equal(Initiator.User, Assert.Single(status.History).InitiatedBy);
    }

    [Fact]
    public async Task Resuming_a_suspended_app_is_refused_and_resuming_a_paused_one_syncs_again()
    {
        var suspended = new ReconcilerWorld(spec => spec with { Suspended = true });
        var refused = await Assert.ThrowsAsync<AppOperationException>(
            () => suspended.Reconciler.SetPausedAsync(ReconcilerWorld.Name, false, CancellationToken.None));
        Assert.Equal(AppError.FailedPrecondition, refused.Kind);

        var paused = new ReconcilerWorld();
        await paused.Reconciler.SetPausedAsync(ReconcilerWorld.Name, true, CancellationToken.None);
        await paused.PassAsync();
        await paused.Reconciler.SetPausedAsync(ReconcilerWorld.Name, false, CancellationToken.None);
        var resumed = await paused.PassAsync(Trigger.SpecChange);
        Assert.Single(paused.Cluster.Syncs);
        Assert.False(resumed.Paused);
    }
}
