using GitOps.Api.V1;
using GitOps.Testing;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>Rollback reverts commits in git and the loop syncs the revert; git stays the source of truth.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class RollbackTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Rollback_pushes_a_revert_commit_and_the_cluster_returns_to_the_old_state()
    {
        await using var ns = await cluster.CreateNamespaceAsync("rollback");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("good", ("app/a.yaml", TestManifests.ConfigMap("a", "good")));
        repo.Push("main");
        await using var controller = await ControllerHarness.StartAsync(cluster,
            TestManifests.Application("rollback", repo.FileUrl, "app", ns.Name));
        await controller.WaitForAsync("rollback", a => a.SyncStatus == SyncStatus.Synced, "synced");
        var bad = repo.CommitFiles("bad change", ("app/a.yaml", TestManifests.ConfigMap("a", "bad")));
        repo.Push("main");
        await controller.WaitForAsync("rollback", a => a.Revision?.Sha == bad && a.SyncStatus == SyncStatus.Synced, "bad commit applied");

        var response = await controller.Client.RollbackAsync(new RollbackRequest { Name = "rollback" });

        Assert.Equal([bad], response.RevertedCommits);
        Assert.Equal(response.RevertCommit, repo.GitRemote("rev-parse", "main"));
        Assert.StartsWith("Revert \"bad change\"", repo.GitRemote("log", "-1", "--format=%B", "main"), StringComparison.Ordinal);
        var app = await controller.WaitForAsync("rollback",
            a => a.Revision?.Sha == response.RevertCommit && a.SyncStatus == SyncStatus.Synced, "the revert is synced");
        Assert.Equal("good", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("a", ns.Name)).Data["value"]);
        Assert.Contains(app.History, h => h.InitiatedBy == "rollback");
    }

    [Fact]
    public async Task Rollback_of_an_app_tracking_a_tag_is_refused()
    {
        await using var ns = await cluster.CreateNamespaceAsync("rbtag");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("v1", ("app/a.yaml", TestManifests.ConfigMap("a", "v1")));
        repo.Git("tag", "v1.0.0");
        repo.Push("main", "--tags");
        await using var controller = await ControllerHarness.StartAsync(cluster,
            TestManifests.Application("rbtag", repo.FileUrl, "app", ns.Name, revision: "v1.0.0"));
        await controller.WaitForAsync("rbtag", a => a.SyncStatus == SyncStatus.Synced, "synced");

        var e = await RpcAssert.ThrowsAsync(Grpc.Core.StatusCode.FailedPrecondition,
            () => controller.Client.RollbackAsync(new RollbackRequest { Name = "rbtag", Commit = "HEAD" }).ResponseAsync);
        Assert.Contains("not a branch", e.Status.Detail, StringComparison.Ordinal);
    }
}
