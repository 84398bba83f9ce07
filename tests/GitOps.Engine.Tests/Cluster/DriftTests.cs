using GitOps.Engine.Tests.Support;
using GitOps.Testing;
using static GitOps.Engine.Tests.Support.Manifests;

namespace GitOps.Engine.Tests.Cluster;

/// <summary>Someone edits a live object: the compare shows it, unless the field is ignored.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class DriftTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Edited_field_shows_as_out_of_sync_with_diff_and_patch_and_sync_repairs_it()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "drift");
        (await h.SyncAsync(null, ConfigMap("cfg", "one"))).Succeeded();

        await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"data":{"key":"edited"}}""", V1Patch.PatchType.MergePatch), "cfg", h.Ns, fieldManager: "kubectl-edit");

        var compare = await Eventually.HoldsAsync(() => h.CompareAsync(null, ConfigMap("cfg", "one")),
            c => !c.InSync, TimeSpan.FromSeconds(10), "the watch sees the edit");
        var cm = compare.For("ConfigMap", "cfg");
        Assert.Equal(SyncState.OutOfSync, cm.State);
        Assert.Contains("-  key: edited", cm.Diff, StringComparison.Ordinal);
        Assert.Contains("+  key: one", cm.Diff, StringComparison.Ordinal);
        Assert.Contains("\"path\":\"/data/key\"", cm.JsonPatch, StringComparison.Ordinal);

        var sync = await h.SyncAsync(null, ConfigMap("cfg", "one"));
        sync.Succeeded();
        Assert.Equal(ResourceAction.Configured, sync.For("ConfigMap", "cfg").Action);
        Assert.Equal("one", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("cfg", h.Ns)).Data["key"]);
        Assert.True((await h.CompareAsync(null, ConfigMap("cfg", "one"))).InSync);
    }

    [Fact]
    public async Task Drift_on_an_ignored_field_is_not_reported_by_pointer_or_by_field_manager()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "ignored");
        (await h.SyncAsync(null, Deployment("web"))).Succeeded();

        await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"replicas":3}}""", V1Patch.PatchType.MergePatch), "web", h.Ns, fieldManager: "autoscaler");

        var plain = await Eventually.HoldsAsync(() => h.CompareAsync(null, Deployment("web")),
            c => !c.InSync, TimeSpan.FromSeconds(10), "the scale shows as drift when not ignored");
        Assert.Contains("replicas", plain.For("Deployment", "web").Diff, StringComparison.Ordinal);

        var byPointer = new ComparisonOptions
        {
            IgnoreDifferences = [new IgnoreDifference(Group: "apps", Kind: "Deployment", JsonPointers: ["/spec/replicas"])],
        };
        Assert.True((await h.CompareAsync(byPointer, Deployment("web"))).InSync);

        var byManager = new ComparisonOptions { IgnoreDifferences = [new IgnoreDifference(ManagedFieldsManagers: ["autoscaler"])] };
        Assert.True((await h.CompareAsync(byManager, Deployment("web"))).InSync);

        // A sync with the rule leaves the autoscaler's value alone (the object is in sync, so not applied).
        var sync = await h.SyncAsync(new SyncOptions { IgnoreDifferences = byManager.IgnoreDifferences }, Deployment("web"));
        sync.Succeeded();
        Assert.Equal(ResourceAction.Unchanged, sync.For("Deployment", "web").Action);
        Assert.Equal(3, (await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", h.Ns)).Spec.Replicas);
    }
}
