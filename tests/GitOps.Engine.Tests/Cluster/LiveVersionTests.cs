using GitOps.Engine.Tests.Support;
using GitOps.Testing;
using k8s.Models;
using static GitOps.Engine.Tests.Support.Manifests;

namespace GitOps.Engine.Tests.Cluster;

/// <summary>An app's live version moves when the watches see one of its objects change, and not otherwise
/// (what lets the controller skip compares of unchanged apps); the all-apps subscription names the app.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class LiveVersionTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task A_live_edit_moves_the_version_and_is_published_for_every_app()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "liveversion");
        (await h.SyncAsync(null, ConfigMap("cfg"))).Succeeded();
        // The watch event of our own apply carries the resourceVersion the apply returned: not a change.
        var settled = h.Engine.LiveVersion(h.App.Name);

        Assert.Equal(SyncState.Synced, (await h.CompareAsync(null, ConfigMap("cfg"))).For("ConfigMap", "cfg").State);
        Assert.Equal(settled, h.Engine.LiveVersion(h.App.Name));
        Assert.Equal(0, h.Engine.LiveVersion(h.App.Name + "-other"));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var changes = h.Engine.WatchAllAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var key = new ResourceKey("", "ConfigMap", h.Ns, "cfg");
        var edited = NextForAsync(changes, h.App.Name, key, LiveChangeType.Modified);
        var patch = new V1Patch("""{"data":{"edited":"by hand"}}""", V1Patch.PatchType.MergePatch);
        await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(patch, "cfg", h.Ns, cancellationToken: cts.Token);
        await edited;

        Assert.True(h.Engine.LiveVersion(h.App.Name) > settled);
        await cts.CancelAsync();
        await changes.DisposeAsync();
    }

    private static async Task NextForAsync(IAsyncEnumerator<LiveChange> changes, string app, ResourceKey key, LiveChangeType type)
    {
        while (await changes.MoveNextAsync())
        {
            if (changes.Current == new LiveChange(app, type, key))
            {
                return;
            }
        }

        Assert.Fail($"no {type} of {key} for {app}");
    }
}
