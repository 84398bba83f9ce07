using GitOps.Engine.Cache;
using GitOps.Engine.Cluster;
using GitOps.Engine.Tests.Support;
using GitOps.Testing;
using static GitOps.Engine.Tests.Support.Manifests;

namespace GitOps.Engine.Tests.Cluster;

/// <summary>The control plane's high-churn kinds (Endpoints, EndpointSlices, Leases, Events) are not watched from the
/// start — Endpoints and EndpointSlices carry their Service's labels, ours included — but an app that renders one
/// has it compared, synced and pruned like any other object.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class OnDemandKindTests(LocalClusterFixture cluster)
{
    [Theory]
    [InlineData("", "Endpoints", false)]
    [InlineData("discovery.k8s.io", "EndpointSlice", false)]
    [InlineData("coordination.k8s.io", "Lease", false)]
    [InlineData("", "Event", false)]
    [InlineData("events.k8s.io", "Event", false)]
    [InlineData("", "Service", true)]
    [InlineData("apps", "Deployment", true)]
    [InlineData("example.com", "Lease", true)]
    public void High_churn_kinds_wait_until_asked_for(string group, string kind, bool fromStart) =>
        Assert.Equal(fromStart, LiveStateCache.WatchedFromStart(new ResourceType(group, "v1", kind, kind.ToLowerInvariant() + "s", true, true)));

    [Fact]
    public async Task Endpoints_an_app_renders_are_synced_compared_and_pruned()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "ondemand");
        var service = Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"ext"},"spec":{"ports":[{"port":80}]}}""");
        var endpoints = Parse("""
            {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"ext"},
             "subsets":[{"addresses":[{"ip":"10.1.2.3"}],"ports":[{"port":80}]}]}
            """);

        (await h.SyncAsync(null, service, endpoints)).Succeeded();
        var compare = await h.CompareAsync(null, service.DeepClone().AsObject(), endpoints.DeepClone().AsObject());
        Assert.Equal(SyncState.Synced, compare.For("Endpoints", "ext").State);

        var pruned = await h.SyncAsync(new SyncOptions { Prune = true }, service.DeepClone().AsObject());
        pruned.Succeeded();
        Assert.Equal(ResourceAction.Pruned, pruned.For("Endpoints", "ext").Action);
    }
}
