using GitOps.Api.V1;
using GitOps.Testing;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>An automated app follows its branch: created, changed and pruned as git says.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class AutoSyncTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task App_is_synced_then_follows_commits_and_prunes_deleted_files()
    {
        await using var ns = await cluster.CreateNamespaceAsync("auto");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("two config maps",
            ("app/a.yaml", TestManifests.ConfigMap("a", "1")),
            ("app/b.yaml", TestManifests.ConfigMap("b", "1")));
        repo.Push("main");
        await using var controller = await ControllerHarness.StartAsync(cluster,
            TestManifests.Application("auto", repo.FileUrl, "app", ns.Name));

        var synced = await controller.WaitForAsync("auto", a => a.SyncStatus == SyncStatus.Synced && a.Resources.Count == 2,
            "the app is synced with both objects");
        Assert.Equal(HealthStatus.Healthy, synced.HealthStatus);
        Assert.Equal("1", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("a", ns.Name)).Data["value"]);

        var change = repo.CommitFiles("a: 2", ("app/a.yaml", TestManifests.ConfigMap("a", "2")));
        repo.Push("main");
        await controller.WaitForAsync("auto", a => a.Revision?.Sha == change && a.SyncStatus == SyncStatus.Synced,
            "the new commit is applied");
        Assert.Equal("2", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("a", ns.Name)).Data["value"]);

        repo.Git("rm", "--quiet", "app/b.yaml");
        var removal = repo.Commit("remove b");
        repo.Push("main");
        var pruned = await controller.WaitForAsync("auto", a => a.Revision?.Sha == removal && a.Resources.Count == 1,
            "the deleted file's object is pruned");
        Assert.Equal(SyncStatus.Synced, pruned.SyncStatus);
        // Pruning deletes with foreground propagation: the object may linger until the garbage collector is done.
        await Eventually.HoldsAsync(() => cluster.Client.CoreV1.ListNamespacedConfigMapAsync(ns.Name),
            list => list.Items.All(c => c.Metadata.Name != "b"), TimeSpan.FromSeconds(30), "b is deleted from the cluster");
        Assert.Contains(pruned.History, h => h.Revision.Sha == removal && h.Result == "Succeeded" && h.InitiatedBy == "auto");
    }

    [Fact]
    public async Task Without_prune_a_deleted_file_leaves_the_object_and_the_app_out_of_sync()
    {
        await using var ns = await cluster.CreateNamespaceAsync("noprune");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("two", ("app/a.yaml", TestManifests.ConfigMap("a", "1")), ("app/b.yaml", TestManifests.ConfigMap("b", "1")));
        repo.Push("main");
        await using var controller = await ControllerHarness.StartAsync(cluster,
            TestManifests.Application("noprune", repo.FileUrl, "app", ns.Name, prune: false));
        await controller.WaitForAsync("noprune", a => a.SyncStatus == SyncStatus.Synced, "synced");

        repo.Git("rm", "--quiet", "app/b.yaml");
        var removal = repo.Commit("remove b");
        repo.Push("main");
        var app = await controller.WaitForAsync("noprune", a => a.Revision?.Sha == removal, "the removal is seen");
        Assert.Equal(SyncStatus.OutOfSync, app.SyncStatus);
        Assert.Contains(app.Resources, r => r.Name == "b" && r.Extraneous);
        Assert.NotNull(await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("b", ns.Name));
    }
}
