using GitOps.Engine.Tests.Support;
using GitOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using static GitOps.Engine.Tests.Support.Manifests;

namespace GitOps.Engine.Tests.Cluster;

/// <summary>An object marked by another app is never modified or pruned.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class SharedResourceTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Object_of_another_app_is_refused_and_left_alone()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "shared");
        (await h.SyncAsync(null, ConfigMap("shared", "owner"))).Succeeded();
        var before = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("shared", h.Ns);

        var other = new AppTarget("other-app", h.Ns);
        var result = await h.Engine.SyncAsync(other, EngineHarness.Set(ConfigMap("shared", "intruder"), ConfigMap("mine")),
            new SyncOptions { Prune = true }, CancellationToken.None);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        var failed = result.For("ConfigMap", "shared");
        Assert.Equal(ResourceAction.Failed, failed.Action);
        Assert.Contains("shared resource", failed.Message, StringComparison.Ordinal);
        Assert.Contains(h.App.Name, failed.Message, StringComparison.Ordinal);
        var after = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("shared", h.Ns);
        Assert.Equal(before.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
        Assert.Equal("owner", after.Data["key"]);
        // Nothing at all was applied by the refused sync.
        var names = (await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(h.Ns)).Items.Select(c => c.Metadata.Name);
        Assert.DoesNotContain("mine", names);

        // The other app's prune (with a fresh engine, from the cluster's marks only) never touches it.
        await using var fresh = new ClusterEngine(cluster.Client, TimeProvider.System, NullLogger<ClusterEngine>.Instance);
        var prune = await fresh.SyncAsync(other, EngineHarness.Set(ConfigMap("mine")), new SyncOptions { Prune = true, AllowEmpty = true },
            CancellationToken.None);
        prune.Succeeded();
        Assert.DoesNotContain(prune.Resources, r => r.Key.Name == "shared");
        Assert.Equal("owner", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("shared", h.Ns)).Data["key"]);
    }
}
