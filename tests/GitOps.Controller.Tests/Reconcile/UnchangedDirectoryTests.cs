using GitOps.Controller.Reconcile;
using GitOps.Engine;

namespace GitOps.Controller.Tests.Reconcile;

/// <summary>A commit that leaves an app's directory as it was (a commit to other apps of a monorepo) is taken
/// without rendering or comparing, when the app renders from its own directory alone and nothing else changed; the
/// status moves to the commit. A changed directory, or an app that reads outside it, is rendered again.</summary>
public sealed class UnchangedDirectoryTests
{
    private const string Second = "2222222222222222222222222222222222222222";
    private const string Third = "3333333333333333333333333333333333333333";

    [Fact]
    public async Task A_commit_that_leaves_the_directory_as_it_was_is_taken_without_a_render_or_compare()
    {
        var world = await InSyncFromOwnDirectoryAsync();
        world.Git.DirectoryIds[Second] = world.Git.DirectoryIds[Third] = "same-directory";
        var (renders, compares, syncs) = (world.Renderer.Renders, world.Cluster.Compares.Count, world.Cluster.Syncs.Count);

        world.Git.Commit(Third);
        var status = await world.PassAsync(Trigger.Interval);

        Assert.Equal((renders, compares, syncs), (world.Renderer.Renders, world.Cluster.Compares.Count, world.Cluster.Syncs.Count));
        Assert.Equal(Third, status.Revision!.Sha);
        Assert.Equal(SyncState.Synced, status.Sync);

        // The next pass at that commit is a plain steady pass: no directory lookup either.
        var lookups = world.Git.DirectoryIdLookups.Count;
        await world.PassAsync(Trigger.Interval);
        Assert.Equal(lookups, world.Git.DirectoryIdLookups.Count);

        // Another such commit asks git only for the new commit's directory: the last one's is remembered.
        const string Fourth = "4444444444444444444444444444444444444444";
        world.Git.DirectoryIds[Fourth] = "same-directory";
        world.Git.Commit(Fourth);
        status = await world.PassAsync(Trigger.Interval);
        Assert.Equal([Fourth], world.Git.DirectoryIdLookups.Skip(lookups));
        Assert.Equal((renders, compares), (world.Renderer.Renders, world.Cluster.Compares.Count));
        Assert.Equal(Fourth, status.Revision!.Sha);
    }

    [Fact]
    public async Task A_commit_that_changed_the_directory_is_rendered_and_synced()
    {
        var world = await InSyncFromOwnDirectoryAsync();
        var renders = world.Renderer.Renders;

        world.Git.Commit(Third); // a directory id of its own
        var status = await world.PassAsync(Trigger.Interval);

        Assert.True(world.Renderer.Renders > renders);
        Assert.Equal(Third, world.Cluster.Syncs[^1].Revision);
        Assert.Equal(Third, status.Revision!.Sha);
    }

    [Fact]
    public async Task An_app_that_reads_outside_its_directory_is_rendered_at_every_commit()
    {
        var world = ReconcilerWorld.SelfHealing();
        world.Renderer.ReadsOutsideItsDirectory = true;
        await world.PassAsync();
        world.Git.Commit(Second);
        await world.PassAsync(Trigger.Webhook);
        await world.PassAsync();
        world.Git.DirectoryIds[Second] = world.Git.DirectoryIds[Third] = "same-directory";
        var renders = world.Renderer.Renders;

        world.Git.Commit(Third);
        await world.PassAsync(Trigger.Interval);

        Assert.True(world.Renderer.Renders > renders);
        Assert.Equal(Third, world.Cluster.Syncs[^1].Revision);
    }

    [Fact]
    public async Task A_live_change_with_the_commit_is_compared_again()
    {
        var world = await InSyncFromOwnDirectoryAsync();
        world.Git.DirectoryIds[Second] = world.Git.DirectoryIds[Third] = "same-directory";
        var compares = world.Cluster.Compares.Count;

        world.Git.Commit(Third);
        world.Cluster.Drifted = true;
        await world.PassAsync(Trigger.Interval);

        Assert.True(world.Cluster.Compares.Count > compares);
    }

    // Synced at a second commit from a snapshot of the app's own directory, then found in sync by a full pass.
    private static async Task<ReconcilerWorld> InSyncFromOwnDirectoryAsync()
    {
        var world = ReconcilerWorld.SelfHealing();
        await world.PassAsync();
        world.Git.Commit(Second);
        await world.PassAsync(Trigger.Webhook);
        var status = await world.PassAsync();
        Assert.Equal((SyncState.Synced, Second), (status.Sync, status.Revision!.Sha));
        Assert.Equal("app", world.Git.SnapshotPaths[^1]);
        return world;
    }
}
