using GitOps.Engine.Tests.Support;
using GitOps.Testing;
using static GitOps.Engine.Tests.Support.Manifests;

namespace GitOps.Engine.Tests.Cluster;

/// <summary>What a sync wrote is remembered as in sync, its owned values hashed only once the object moves on: a
/// compare makes no API call while the object stays at the written version, nor after another field manager changed
/// fields we do not own; a change to a value we applied is out of sync.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class WrittenVerdictTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Holds_without_calls_across_another_managers_change_and_breaks_on_ours()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "verdict");
        (await h.SyncAsync(null, ConfigMap("cfg", "one"))).Succeeded();
        var before = h.Engine.ApiCalls;
        Assert.True((await h.CompareAsync(null, ConfigMap("cfg", "one"))).InSync);

        await EditAsync(h, """{"metadata":{"labels":{"team":"web"}}}""", "labeller");
        Assert.True((await h.CompareAsync(null, ConfigMap("cfg", "one"))).InSync);
        Assert.Equal(before, h.Engine.ApiCalls);

        await EditAsync(h, """{"data":{"key":"edited"}}""", "kubectl-edit");
        var compare = await h.CompareAsync(null, ConfigMap("cfg", "one"));
        Assert.Equal(SyncState.OutOfSync, compare.For("ConfigMap", "cfg").State);
    }

    /// <summary>Patches the ConfigMap as another field manager and waits until the engine's watch has seen it.</summary>
    private async Task EditAsync(EngineHarness h, string patch, string manager)
    {
        var version = h.Engine.LiveVersion(h.App.Name);
        await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "cfg", h.Ns,
            fieldManager: manager);
        await Eventually.HoldsAsync(() => Task.FromResult(h.Engine.LiveVersion(h.App.Name)), v => v != version,
            TimeSpan.FromSeconds(30), $"the watch sees {manager}'s change");
    }
}
