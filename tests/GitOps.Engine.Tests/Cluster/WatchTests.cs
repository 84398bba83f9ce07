using GitOps.Engine.Tests.Support;
using GitOps.Testing;
using static GitOps.Engine.Tests.Support.Manifests;

namespace GitOps.Engine.Tests.Cluster;

/// <summary>Live changes to an app's objects are published (what self-heal listens to).</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class WatchTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Edit_of_a_tracked_object_is_published_for_its_app()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "watch");
        (await h.SyncAsync(null, ConfigMap("cfg"))).Succeeded();

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var changes = h.Engine.WatchAsync(h.App.Name, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = changes.MoveNextAsync().AsTask();
        await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("cfg", h.Ns, cancellationToken: cts.Token);

        Assert.True(await next);
        Assert.Equal(new LiveChange(h.App.Name, LiveChangeType.Deleted, new ResourceKey("", "ConfigMap", h.Ns, "cfg")), changes.Current);
        await cts.CancelAsync();
        await changes.DisposeAsync();

        var compare = await h.CompareAsync(null, ConfigMap("cfg"));
        Assert.Equal(SyncState.Missing, compare.For("ConfigMap", "cfg").State);
    }
}
