using GitOps.Controller.Reconcile;
using GitOps.Engine;

namespace GitOps.Controller.Tests.Reconcile;

/// <summary>An app moving to a new commit renders from a snapshot of its own directory (a commit to a large
/// monorepo then costs only the touched apps' files) and keeps using it at that commit; a first render takes the
/// whole tree, and an app that reads outside its directory falls back to the whole tree.</summary>
public sealed class OwnDirectorySnapshotTests
{
    private const string Next = "2222222222222222222222222222222222222222";

    [Fact]
    public async Task A_first_render_takes_the_whole_tree_and_a_new_commit_the_app_directory()
    {
        var world = new ReconcilerWorld();
        await world.PassAsync();
        Assert.Equal([null], world.Git.SnapshotPaths);

        world.Git.Commit(Next);
        var status = await world.PassAsync(Trigger.Webhook);

        Assert.Equal("app", world.Git.SnapshotPaths[^1]);
        Assert.Equal(Next, world.Cluster.Syncs[^1].Revision);
        Assert.Equal(SyncState.Synced, status.Sync);
    }

    [Fact]
    public async Task A_pass_at_the_same_commit_after_an_own_directory_render_takes_the_directory_again()
    {
        var world = new ReconcilerWorld();
        await world.PassAsync();
        world.Git.Commit(Next);
        await world.PassAsync(Trigger.Webhook);

        // The sync's own watch events (here: a drift) queue a pass at the same commit that must render again.
        world.Cluster.Drifted = true;
        await world.PassAsync(Trigger.Drift);

        Assert.Equal([null, "app", "app"], world.Git.SnapshotPaths);
    }

    [Fact]
    public async Task An_app_reading_outside_its_directory_is_rendered_from_the_whole_tree()
    {
        var world = new ReconcilerWorld();
        await world.PassAsync();
        world.Renderer.ReadsOutsideItsDirectory = true;

        world.Git.Commit(Next);
        var status = await world.PassAsync(Trigger.Webhook);

        Assert.Equal(["app", null], world.Git.SnapshotPaths.Skip(1));
        Assert.Equal(Next, world.Cluster.Syncs[^1].Revision);
        Assert.DoesNotContain(status.Conditions, c => c.Type == "ComparisonError");
    }
}
