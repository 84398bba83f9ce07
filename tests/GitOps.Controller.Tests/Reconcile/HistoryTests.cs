using GitOps.Applications;
using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Engine;

namespace GitOps.Controller.Tests.Reconcile;

/// <summary>Each sync appends one history entry (ids grow, the oldest fall off at revisionHistoryLimit); a dry
/// run appends none; the operation keeps the engine's results and log.</summary>
public sealed class HistoryTests
{
    [Fact]
    public async Task Syncs_append_entries_capped_by_the_limit()
    {
        var world = new ReconcilerWorld(spec => spec with { RevisionHistoryLimit = 2 });

        for (var i = 1; i <= 3; i++)
        {
            world.Git.Commit(new string((char)('0' + i), 40));
            await world.PassAsync();
        }

        var status = await world.Store.GetAsync(ReconcilerWorld.Name, CancellationToken.None);
        Assert.Equal([2L, 3L], status.History.Select(h => h.Id));
        Assert.Equal([new string('2', 40), new string('3', 40)], status.History.Select(h => h.Revision.Sha));
        Assert.All(status.History, h => Assert.Equal((SyncOutcome.Succeeded, Initiator.Auto), (h.Result, h.InitiatedBy)));
        Assert.All(status.History, h => Assert.True(h.FinishedAt >= h.StartedAt));
        Assert.Equal(status.History[^1].FinishedAt, status.LastSyncedAt);
    }

    [Fact]
    public async Task The_operation_keeps_results_and_the_engine_log()
    {
        var world = new ReconcilerWorld();

        var status = await world.PassAsync();

        var operation = status.Operation!;
        Assert.Equal((OperationPhase.Succeeded, Initiator.Auto), (operation.Phase, operation.InitiatedBy));
        Assert.Equal(ResourceAction.Created, Assert.Single(operation.Results!).Result);
        Assert.Contains($"start: revision {world.Git.Head}: 1 objects", operation.Log!);
    }

    [Fact]
    public async Task A_dry_run_appends_nothing_and_changes_nothing()
    {
        var world = new ReconcilerWorld(spec => spec with { SyncPolicy = null });

        var (status, operation) = await world.SyncAsync(dryRun: true);

        Assert.Empty(status.History);
        Assert.Empty(world.Cluster.Syncs);
        Assert.Equal(OperationPhase.Succeeded, operation.Phase);
        Assert.Null(status.LastSyncedAt);
    }

    [Fact]
    public async Task Repeated_identical_failures_are_one_entry_with_a_count()
    {
        var world = new ReconcilerWorld(spec => spec with
        {
            SyncPolicy = new SyncPolicySpec { Automated = new AutomatedSpec(), Retry = new RetrySpec(Limit: 3) },
        });
        world.Cluster.FailSyncs = true;
        for (var pass = 0; pass < 6; pass++)
        {
            await world.PassAsync();
        }

        var status = await world.Store.GetAsync(ReconcilerWorld.Name, CancellationToken.None);
        Assert.Equal(4, world.Cluster.Syncs.Count);
        var entry = Assert.Single(status.History);
        Assert.Equal((SyncOutcome.Failed, 4), (entry.Result, entry.Count));

        world.Cluster.FailSyncs = false;
        world.Git.Commit("4444444444444444444444444444444444444444");
        status = await world.PassAsync();
        Assert.Equal([4, 1], status.History.Select(h => h.Count));
    }
}
