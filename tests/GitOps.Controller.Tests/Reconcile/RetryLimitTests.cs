using GitOps.Applications;
using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Engine;

namespace GitOps.Controller.Tests.Reconcile;

/// <summary>A revision whose automatic sync keeps failing is tried 1 + retry.limit times — with or without
/// selfHeal — then left alone until a new revision comes.</summary>
public sealed class RetryLimitTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_failing_revision_is_retried_up_to_the_limit_and_a_new_revision_starts_afresh(bool selfHeal)
    {
        var world = new ReconcilerWorld(spec => spec with
        {
            SyncPolicy = new SyncPolicySpec { Automated = new AutomatedSpec(SelfHeal: selfHeal), Retry = new RetrySpec(Limit: 2) },
        });
        world.Cluster.FailSyncs = true;

        for (var pass = 0; pass < 6; pass++)
        {
            await world.PassAsync();
        }

        Assert.Equal(3, world.Cluster.Syncs.Count);
        var status = await world.Store.GetAsync(ReconcilerWorld.Name, CancellationToken.None);
        Assert.All(status.History, h => Assert.Equal(SyncOutcome.Failed, h.Result));
        Assert.Contains(status.Conditions, c => c.Type == "SyncError");

        world.Cluster.FailSyncs = false;
        world.Git.Commit("3333333333333333333333333333333333333333");
        var fixedStatus = await world.PassAsync();
        Assert.Equal(4, world.Cluster.Syncs.Count);
        Assert.Equal(SyncOutcome.Succeeded, fixedStatus.History[^1].Result);
        Assert.DoesNotContain(fixedStatus.Conditions, c => c.Type == "SyncError");
    }

    [Fact]
    public async Task A_pass_that_syncs_and_fails_reports_failure_to_the_queue()
    {
        var world = new ReconcilerWorld();
        world.Cluster.FailSyncs = true;

        var ok = await world.Reconciler.ReconcileAsync(ReconcilerWorld.Name, Trigger.Interval, CancellationToken.None);

        Assert.False(ok, "the queue backs off after a failed sync");
    }

    [Fact]
    public async Task Without_a_retry_policy_the_documented_default_limit_of_five_applies()
    {
        var world = new ReconcilerWorld();
        world.Cluster.FailSyncs = true;

        for (var pass = 0; pass < 10; pass++)
        {
            await world.PassAsync();
        }

        Assert.Equal(6, world.Cluster.Syncs.Count);
    }
}
