using GitOps.Engine.Tests.Support;
using GitOps.Testing;
using static GitOps.Engine.Tests.Support.Manifests;

namespace GitOps.Engine.Tests.Cluster;

/// <summary>A sync given the comparison made just before it (the controller's compare-then-sync pass) takes that
/// comparison's dry runs of new objects as their validation: one dry run and one write per new object, not two
/// dry runs. Anything that changed in between is validated again.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class CompareThenSyncTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task New_objects_validated_by_the_comparison_are_not_dry_run_again()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "basis");
        var objects = new[] { ConfigMap("one"), ConfigMap("two") };
        var comparison = await h.CompareAsync(null, objects);
        Assert.All(comparison.Resources, r => Assert.Equal(SyncState.Missing, r.State));

        var before = h.Engine.ApiCalls;
        var synced = await h.SyncAsync(new SyncOptions { WaitTimeout = TimeSpan.FromSeconds(60), Basis = comparison }, objects);

        synced.Succeeded();
        Assert.All(synced.Resources, r => Assert.Equal(ResourceAction.Created, r.Action));
        Assert.Equal(before.DryRuns, h.Engine.ApiCalls.DryRuns);
        Assert.Equal(before.Writes + 2, h.Engine.ApiCalls.Writes);
    }

    [Fact]
    public async Task A_changed_object_or_a_live_change_is_validated_again()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "basis-stale");
        var comparison = await h.CompareAsync(null, ConfigMap("one", "v1"), ConfigMap("two"));

        // "one" is no longer what was dry-run: it is dry-run again; "two" is not.
        var before = h.Engine.ApiCalls;
        var synced = await h.SyncAsync(new SyncOptions { WaitTimeout = TimeSpan.FromSeconds(60), Basis = comparison },
            ConfigMap("one", "v2"), ConfigMap("two"));
        synced.Succeeded();
        Assert.Equal(before.DryRuns + 1, h.Engine.ApiCalls.DryRuns);

        // A change to the app's live objects since the comparison voids all of its dry runs.
        var second = await h.CompareAsync(null, ConfigMap("one", "v2"), ConfigMap("two"), ConfigMap("three"), ConfigMap("four"));
        await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("two", h.Ns);
        await Eventually.HoldsAsync(() => Task.FromResult(h.Engine.LiveVersion(h.App.Name)), v => v != second.LiveVersion,
            TimeSpan.FromSeconds(30), "the deletion is seen by the watch");
        before = h.Engine.ApiCalls;
        (await h.SyncAsync(new SyncOptions { WaitTimeout = TimeSpan.FromSeconds(60), Basis = second },
            ConfigMap("one", "v2"), ConfigMap("two"), ConfigMap("three"), ConfigMap("four"))).Succeeded();
        Assert.Equal(before.DryRuns + 3, h.Engine.ApiCalls.DryRuns);
    }
}
