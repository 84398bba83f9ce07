using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Engine;

namespace GitOps.Controller.Tests.Reconcile;

/// <summary>Which commit a rollback reverts to, and when it is refused.</summary>
public sealed class RollbackTargetTests
{
    private const string R1 = "1111111111111111111111111111111111111111";
    private const string R2 = "2222222222222222222222222222222222222222";
    private const string R3 = "3333333333333333333333333333333333333333";

    [Fact]
    public async Task Without_a_target_it_is_the_last_successful_sync_of_another_revision()
    {
        var world = await SyncedThreeTimesAsync();

        var (outcome, status) = await world.Reconciler.RollbackAsync(ReconcilerWorld.Name, null, null, CancellationToken.None);

        // R2's sync failed: the target is R1, not R2.
        Assert.Equal([(R1, (string?)null)], world.Git.Reverts);
        var entry = status.History[^1];
        Assert.Equal((Initiator.Rollback, SyncOutcome.Succeeded), (entry.InitiatedBy, entry.Result));
        Assert.Equal(outcome.RevertCommit, entry.Revision.Sha);
        Assert.StartsWith("rollback to 1111111", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_history_id_names_the_target_and_an_unknown_id_is_not_found()
    {
        var world = await SyncedThreeTimesAsync();

        await world.Reconciler.RollbackAsync(ReconcilerWorld.Name, 2, null, CancellationToken.None);
        Assert.Equal(R2, world.Git.Reverts[^1].ToSha);

        var missing = await Assert.ThrowsAsync<AppOperationException>(
            () => world.Reconciler.RollbackAsync(ReconcilerWorld.Name, 99, null, CancellationToken.None));
        Assert.Equal(AppError.NotFound, missing.Kind);
    }

    [Fact]
    public async Task A_commit_is_reverted_alone()
    {
        var world = await SyncedThreeTimesAsync();

        await world.Reconciler.RollbackAsync(ReconcilerWorld.Name, null, R3, CancellationToken.None);

        Assert.Equal([((string?)null, (string?)R3)], world.Git.Reverts);
    }

    [Fact]
    public async Task A_tag_or_sha_is_not_a_branch_and_nothing_earlier_is_nothing_to_roll_back_to()
    {
        var world = await SyncedThreeTimesAsync();
        world.Git.IsBranch = false;
        var notBranch = await Assert.ThrowsAsync<AppOperationException>(
            () => world.Reconciler.RollbackAsync(ReconcilerWorld.Name, null, null, CancellationToken.None));
        Assert.Equal(AppError.FailedPrecondition, notBranch.Kind);
        Assert.Contains("not a branch", notBranch.Message, StringComparison.Ordinal);

        var fresh = new ReconcilerWorld();
        await fresh.PassAsync();
        var nothing = await Assert.ThrowsAsync<AppOperationException>(
            () => fresh.Reconciler.RollbackAsync(ReconcilerWorld.Name, null, null, CancellationToken.None));
        Assert.Equal(AppError.FailedPrecondition, nothing.Kind);
        Assert.Empty(world.Git.Reverts);
        Assert.Empty(fresh.Git.Reverts);
    }

    [Fact]
    public async Task The_revert_is_then_synced_and_the_policy_does_not_fight_it()
    {
        var world = await SyncedThreeTimesAsync();
        var (outcome, _) = await world.Reconciler.RollbackAsync(ReconcilerWorld.Name, null, null, CancellationToken.None);

        var synced = await world.PassAsync(Trigger.Rollback);
        await world.PassAsync(Trigger.Interval);

        Assert.Equal(outcome.RevertCommit, world.Cluster.Syncs[^1].Revision);
        Assert.Equal(outcome.RevertCommit, synced.Revision?.Sha);
        Assert.Equal(SyncState.Synced, synced.Sync);
        Assert.Single(world.Cluster.Syncs, s => s.Revision == outcome.RevertCommit);
    }

    /// <summary>History: R1 succeeded, R2 failed, R3 succeeded (current).</summary>
    private static async Task<ReconcilerWorld> SyncedThreeTimesAsync()
    {
        var world = new ReconcilerWorld();
        world.Git.Commit(R1);
        await world.PassAsync();
        world.Git.Commit(R2);
        world.Cluster.FailSyncs = true;
        await world.PassAsync();
        world.Cluster.FailSyncs = false;
        world.Git.Commit(R3);
        var status = await world.PassAsync();
        Assert.Equal([SyncOutcome.Succeeded, SyncOutcome.Failed, SyncOutcome.Succeeded], status.History.Select(h => h.Result));
        return world;
    }
}
