using GitOps.Controller.State;
using GitOps.Engine;

namespace GitOps.Controller.Tests.Reconcile;

/// <summary>A sync with hooks or waves says where it is while it runs: the saved status shows the Running
/// operation with the stage, and the finished operation replaces it.</summary>
public sealed class SyncProgressTests
{
    [Fact]
    public async Task Each_stage_is_saved_as_the_running_operations_message()
    {
        var world = new ReconcilerWorld();
        world.Cluster.Progress.AddRange([new SyncProgress(SyncStage.PreSyncHooks), new SyncProgress(SyncStage.Wave, 1, 2, 3)]);
        var seen = new List<string>();
        world.Cluster.AfterProgress = () =>
        {
            var operation = world.Store.GetAsync(ReconcilerWorld.Name, CancellationToken.None).Result.Operation!;
            seen.Add($"{operation.Phase}: {operation.Message}");
        };

        var status = await world.PassAsync();

        Assert.Equal(["Running: syncing: PreSync hooks", "Running: syncing: wave 1 (2 of 3)"], seen);
        Assert.Equal((OperationPhase.Succeeded, "successfully synced"), (status.Operation!.Phase, status.Operation.Message));
    }
}
