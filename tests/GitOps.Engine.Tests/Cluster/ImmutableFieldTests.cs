using GitOps.Engine.Tests.Support;
using GitOps.Testing;
using static GitOps.Engine.Tests.Support.Manifests;

namespace GitOps.Engine.Tests.Cluster;

/// <summary>A Deployment selector change is rejected as immutable; delete + recreate only when opted in.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class ImmutableFieldTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Selector_change_fails_without_opt_in_and_is_replaced_with_it()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "immutable");
        (await h.SyncAsync(null, Deployment("web", selectorLabel: "v1"))).Succeeded();
        var original = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", h.Ns);

        var refused = await h.SyncAsync(null, Deployment("web", selectorLabel: "v2"));
        Assert.Equal(SyncOutcome.Failed, refused.Outcome);
        Assert.Contains("immutable", refused.For("Deployment", "web").Message, StringComparison.Ordinal);
        Assert.Equal(original.Metadata.Uid, (await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", h.Ns)).Metadata.Uid);

        var replaced = await h.SyncAsync(new SyncOptions { ReplaceOnImmutableError = true, WaitTimeout = TimeSpan.FromSeconds(60) },
            Deployment("web", selectorLabel: "v2"));
        replaced.Succeeded();
        Assert.Equal(ResourceAction.Configured, replaced.For("Deployment", "web").Action);
        Assert.Contains("replaced", replaced.For("Deployment", "web").Message, StringComparison.Ordinal);
        var live = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", h.Ns);
        Assert.NotEqual(original.Metadata.Uid, live.Metadata.Uid);
        Assert.Equal("v2", live.Spec.Selector.MatchLabels["app"]);
    }
}
