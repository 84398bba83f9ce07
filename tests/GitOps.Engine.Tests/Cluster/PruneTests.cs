using GitOps.Engine.Tests.Support;
using GitOps.Testing;
using static GitOps.Engine.Tests.Support.Manifests;

namespace GitOps.Engine.Tests.Cluster;

/// <summary>Tracked objects no longer desired are pruned only when asked, never when annotated, never from
/// an empty render unless allowed.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class PruneTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Objects_no_longer_desired_are_extraneous_then_pruned_when_asked()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "prune");
        (await h.SyncAsync(null, ConfigMap("keep"), ConfigMap("gone"), Service("gone"))).Succeeded();

        var compare = await h.CompareAsync(null, ConfigMap("keep"));
        Assert.Equal(SyncState.Extraneous, compare.For("ConfigMap", "gone").State);
        Assert.Equal(SyncState.Extraneous, compare.For("Service", "gone").State);

        var noPrune = await h.SyncAsync(null, ConfigMap("keep"));
        noPrune.Succeeded();
        Assert.NotNull(await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("gone", h.Ns));

        var pruned = await h.SyncAsync(new SyncOptions { Prune = true }, ConfigMap("keep"));
        pruned.Succeeded();
        Assert.Equal(ResourceAction.Pruned, pruned.For("ConfigMap", "gone").Action);
        Assert.Equal(ResourceAction.Pruned, pruned.For("Service", "gone").Action);
        // Foreground propagation: the object goes once the garbage collector has run.
        var left = await Eventually.HoldsAsync(
            async () => (await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(h.Ns)).Items.Select(c => c.Metadata.Name).ToList(),
            names => !names.Contains("gone"), TimeSpan.FromSeconds(20), "the pruned ConfigMap is deleted");
        Assert.Contains("keep", left);
        // Service before ConfigMap in apply order, so pruned after it (reverse order).
        var order = pruned.Log.Where(l => l.Phase == "prune" && l.Key is not null).Select(l => l.Key!.Kind).ToList();
        Assert.Equal(["Service", "ConfigMap"], order);
    }

    [Fact]
    public async Task Prune_disabled_object_is_kept_and_reported()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "prunedis");
        (await h.SyncAsync(null, ConfigMap("keep"), ConfigMap("precious").With(Marks.SyncOptions, "Prune=false"))).Succeeded();

        var result = await h.SyncAsync(new SyncOptions { Prune = true }, ConfigMap("keep"));
        result.Succeeded();
        Assert.Equal(ResourceAction.PruneSkipped, result.For("ConfigMap", "precious").Action);
        Assert.NotNull(await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("precious", h.Ns));
        Assert.True((await h.CompareAsync(null, ConfigMap("keep"))).For("ConfigMap", "precious").PruneDisabled);
    }

    [Fact]
    public async Task Empty_desired_set_prunes_nothing_unless_allow_empty()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "pruneempty");
        (await h.SyncAsync(null, ConfigMap("a"))).Succeeded();

        var empty = await h.SyncAsync(new SyncOptions { Prune = true });
        empty.Succeeded();
        Assert.Empty(empty.Resources);
        Assert.Contains(empty.Log, l => l.Message.Contains("allowEmpty", StringComparison.Ordinal));
        Assert.NotNull(await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("a", h.Ns));

        var allowed = await h.SyncAsync(new SyncOptions { Prune = true, AllowEmpty = true });
        Assert.Equal(ResourceAction.Pruned, allowed.For("ConfigMap", "a").Action);
    }

    [Fact]
    public async Task An_object_still_terminating_after_a_prune_counts_as_pruned()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "terminating");
        var held = ConfigMap("held");
        held["metadata"]!["finalizers"] = new System.Text.Json.Nodes.JsonArray("gitops.dev/test-hold");
        (await h.SyncAsync(null, ConfigMap("keep"), held)).Succeeded();
        (await h.SyncAsync(new SyncOptions { Prune = true }, ConfigMap("keep"))).Succeeded();
        await Eventually.HoldsAsync(() => cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("held", h.Ns),
            cm => cm.Metadata.DeletionTimestamp is not null, TimeSpan.FromSeconds(20), "the pruned object is terminating");
        try
        {
            // A new engine lists the terminating object into its cache: it is not Extraneous, and nothing is pruned again.
            await using var fresh = new ClusterEngine(cluster.Client, TimeProvider.System,
                Microsoft.Extensions.Logging.Abstractions.NullLogger<ClusterEngine>.Instance);
            var compare = await fresh.CompareAsync(h.App, EngineHarness.Set(ConfigMap("keep")), new ComparisonOptions(), CancellationToken.None);
            Assert.DoesNotContain(compare.Resources, r => r.Key.Name == "held");
            Assert.True(compare.InSync);
            var again = await fresh.SyncAsync(h.App, EngineHarness.Set(ConfigMap("keep")), new SyncOptions { Prune = true }, CancellationToken.None);
            Assert.DoesNotContain(again.Resources, r => r.Key.Name == "held");
        }
        finally
        {
            await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(
                new k8s.Models.V1Patch("""{"metadata":{"finalizers":null}}""", k8s.Models.V1Patch.PatchType.MergePatch), "held", h.Ns);
        }
    }
}
