using System.Collections.Concurrent;
using GitOps.Engine.Cache;
using GitOps.Engine.Cluster;
using GitOps.Engine.Tests.Support;
using GitOps.Testing;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using static GitOps.Engine.Tests.Support.Informers;

namespace GitOps.Engine.Tests.Cluster;

/// <summary>A watch resumed from a resourceVersion the server no longer has gets 410 Gone; the informer then
/// lists again, which both adds what it missed and drops what was deleted while it was not watching.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class RelistTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Watch_from_a_compacted_resource_version_relists_and_drops_what_was_deleted_meanwhile()
    {
        await using var ns = await cluster.CreateNamespaceAsync("relist");
        var app = $"app-{ns.Name}";
        await CreateTrackedAsync(ns.Name, app, "kept");

        // A freshly created etcd may still serve a watch from resourceVersion 1 (the API server's watch cache began
        // at revision 1), and then there is no 410 to recover from. Only a server that answers 410 can show it.
        if (!await AnswersGoneAsync(ns.Name))
        {
            return;
        }

        var changes = new ConcurrentQueue<(LiveChangeType Change, string Name)>();
        var informer = new Informer(new KubeApi(cluster.Client, TimeProvider.System), ConfigMaps,
            (change, obj, _) => changes.Enqueue((change, obj.Key.Name)), TimeProvider.System, NullLogger.Instance);

        // What the informer believed before it lost its watch: an object that has since been deleted.
        informer.Upsert(new LiveObject(ConfigMaps, Manifests.TrackedConfigMap(ns.Name, app, "ghost", resourceVersion: "1")));
        Assert.NotNull(informer.Get(ns.Name, "ghost"));

        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token, resumeFrom: "1");
        try
        {
            // A re-list loads objects one by one and drops the stale ones at its end: wait for both.
            await Eventually.HoldsAsync(
                () => Task.FromResult((Kept: informer.Get(ns.Name, "kept"), Ghost: informer.Get(ns.Name, "ghost"))),
                o => o.Kept is not null && o.Ghost is null,
                TimeSpan.FromSeconds(30), "the re-list after 410 Gone loads the existing object and drops the deleted one");
            Assert.Contains((LiveChangeType.Deleted, "ghost"), changes);
            Assert.Equal(["kept"], informer.Labelled(app).Select(o => o.Key.Name));

            // After the re-list it watches again: a new object arrives without another list.
            await CreateTrackedAsync(ns.Name, app, "later");
            await Eventually.HoldsAsync(() => Task.FromResult(informer.Get(ns.Name, "later")), o => o is not null,
                TimeSpan.FromSeconds(30), "the watch resumes after the re-list");
            Assert.Equal(["kept", "later"], informer.Labelled(app).Select(o => o.Key.Name).Order());
            Assert.All(informer.Labelled(app), o => Assert.Equal(app, o.TrackedApp));
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }
    }

    private async Task<bool> AnswersGoneAsync(string ns)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await foreach (var evt in new KubeApi(cluster.Client, TimeProvider.System).WatchAsync(
                               $"/api/v1/namespaces/{ns}/configmaps?watch=1&resourceVersion=1&timeoutSeconds=2", timeout.Token))
            {
                return evt.Type == "ERROR" && evt.Parse().Object["code"]?.GetValue<int>() == 410;
            }
        }
        catch (KubeApiException e) when (e.Status == System.Net.HttpStatusCode.Gone)
        {
            return true;
        }

        return false;
    }

    private Task CreateTrackedAsync(string ns, string app, string name) =>
        cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = new Dictionary<string, string> { [Marks.AppLabel] = app },
                Annotations = new Dictionary<string, string> { [Marks.TrackingId] = $"{app}:/ConfigMap:{ns}/{name}" },
            },
            Data = new Dictionary<string, string> { ["key"] = "value" },
        }, ns);
}
