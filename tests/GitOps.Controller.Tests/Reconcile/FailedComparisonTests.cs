using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Engine;
using GitOps.Rendering;

namespace GitOps.Controller.Tests.Reconcile;

/// <summary>A failed fetch, render or comparison ends the pass with a ComparisonError: nothing is applied or
/// pruned, and a user's sync fails without reaching the cluster.</summary>
public sealed class FailedComparisonTests
{
    public static TheoryData<string> Failures => ["fetch", "render", "compare"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Nothing_is_synced_from_a_failed_pass(string stage)
    {
        var world = Failing(stage);

        var ok = await world.Reconciler.ReconcileAsync(ReconcilerWorld.Name, Trigger.SpecChange, CancellationToken.None);
        var status = await world.Store.GetAsync(ReconcilerWorld.Name, CancellationToken.None);

        Assert.False(ok);
        Assert.Empty(world.Cluster.Syncs);
        Assert.Equal(SyncState.Unknown, status.Sync);
        Assert.Equal(1, status.Failures);
        var condition = Assert.Single(status.Conditions, c => c.Type == ConditionTypes.ComparisonError);
        Assert.Contains("broken", condition.Message, StringComparison.Ordinal);
        Assert.Empty(status.History);
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_manual_sync_of_a_failed_render_fails_without_touching_the_cluster(string stage)
    {
        var world = Failing(stage);

        var (status, operation) = await world.SyncAsync();

        Assert.Empty(world.Cluster.Syncs);
        Assert.Equal(OperationPhase.Failed, operation.Phase);
        Assert.Equal(Initiator.User, operation.InitiatedBy);
        Assert.Empty(status.History);
    }

    [Fact]
    public async Task A_render_error_names_file_and_line()
    {
        var world = new ReconcilerWorld();
        world.Renderer.Failure = new RenderException("broken mapping", "app/deploy.yaml", 7);

        var status = await world.PassAsync();

        var condition = Assert.Single(status.Conditions, c => c.Type == ConditionTypes.ComparisonError);
        Assert.StartsWith("render: ", condition.Message, StringComparison.Ordinal);
        Assert.Contains("app/deploy.yaml", condition.Message, StringComparison.Ordinal);
        Assert.Contains("7", condition.Message, StringComparison.Ordinal);
    }

    private static ReconcilerWorld Failing(string stage)
    {
        var world = new ReconcilerWorld();
        var failure = new InvalidOperationException($"{stage} broken");
        switch (stage)
        {
            case "fetch":
                world.Git.ResolveFailure = failure;
                break;
            case "render":
                world.Renderer.Failure = failure;
                break;
            default:
                world.Cluster.CompareFailure = failure;
                break;
        }

        return world;
    }
}
