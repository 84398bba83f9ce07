using GitOps.Api.V1;
using GitOps.Controller.HighAvailability;
using GitOps.Testing;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>--shard N/M: two replicas split a set of apps by a stable hash; each reconciles only its own.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class ShardingTests(LocalClusterFixture cluster)
{
    [Fact]
    public void Shard_of_an_app_is_stable_and_spreads_names()
    {
        var names = Enumerable.Range(0, 200).Select(i => $"app-{i}").ToList();
        var counts = names.GroupBy(n => ShardFilter.ShardOf(n, 3)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([0, 1, 2], counts.Keys.Order());
        Assert.All(counts.Values, c => Assert.InRange(c, 40, 100));
        Assert.Equal(ShardFilter.ShardOf("payments", 3), ShardFilter.ShardOf("payments", 3));
        Assert.Throws<InvalidOperationException>(() => new ShardFilter(new ControllerOptions { Shard = "2/2" }));
    }

    [Fact]
    public async Task Two_shards_split_the_apps_and_each_syncs_only_its_own()
    {
        await using var ns = await cluster.CreateNamespaceAsync("shard");
        using var repo = TempGitRepository.Create();
        var names = Enumerable.Range(0, 6).Select(i => $"shard-app-{i}").ToList();
        repo.CommitFiles("one config map per app",
            [.. names.Select(n => ($"{n}/cm.yaml", TestManifests.ConfigMap(n, "1")))]);
        repo.Push("main");
        var apps = string.Join("---\n", names.Select(n => TestManifests.Application(n, repo.FileUrl, n, ns.Name)));
        var owned = names.ToLookup(n => ShardFilter.ShardOf(n, 2));
        Assert.True(owned[0].Any() && owned[1].Any(), "the fixture's names fall into both shards");

        var installation = TestInstallations.New(); // shards are replicas of one installation
        await using var zero = await ControllerHarness.StartAsync(cluster, apps, extraArgs: ["--shard", "0/2"], installationId: installation);
        await using var one = await ControllerHarness.StartAsync(cluster, apps, extraArgs: ["--shard", "1/2"], installationId: installation);
        foreach (var (shard, controller, other) in new[] { (0, zero, one), (1, one, zero) })
        {
            foreach (var name in owned[shard])
            {
                await controller.WaitForAsync(name, a => a.SyncStatus == SyncStatus.Synced, $"shard {shard} syncs {name}");
                var elsewhere = await other.Client.GetAsync(new GetRequest { Name = name, IncludeHistory = true });
                Assert.Equal(SyncStatus.Unknown, elsewhere.SyncStatus);
                Assert.Empty(elsewhere.History);
            }
        }

        var configMaps = await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(ns.Name);
        Assert.All(names, n => Assert.Contains(configMaps.Items, c => c.Metadata.Name == n));
    }
}
