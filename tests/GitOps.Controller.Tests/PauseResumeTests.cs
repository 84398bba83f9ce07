using GitOps.Api.V1;
using GitOps.Testing;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>A paused app is still compared but nothing is applied until it is resumed (or synced by hand).</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class PauseResumeTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Paused_app_reports_out_of_sync_and_applies_only_after_resume()
    {
        await using var ns = await cluster.CreateNamespaceAsync("pause");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("v1", ("app/a.yaml", TestManifests.ConfigMap("a", "v1")));
        repo.Push("main");
        await using var controller = await ControllerHarness.StartAsync(cluster,
            TestManifests.Application("pause", repo.FileUrl, "app", ns.Name));
        await controller.WaitForAsync("pause", a => a.SyncStatus == SyncStatus.Synced, "synced");

        var paused = await controller.Client.PauseAsync(new AppRef { Name = "pause" });
        Assert.True(paused.Paused);
        var v2 = repo.CommitFiles("v2", ("app/a.yaml", TestManifests.ConfigMap("a", "v2")));
        repo.Push("main");

        var app = await controller.Client.RefreshAsync(new AppRef { Name = "pause" });
        Assert.Equal(v2, app.Revision.Sha);
        Assert.Equal(SyncStatus.OutOfSync, app.SyncStatus);
        Assert.True(app.Paused);
        Assert.Equal("v1", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("a", ns.Name)).Data["value"]);

        await controller.Client.ResumeAsync(new AppRef { Name = "pause" });
        await controller.WaitForAsync("pause", a => !a.Paused && a.SyncStatus == SyncStatus.Synced, "resumed and synced");
        Assert.Equal("v2", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("a", ns.Name)).Data["value"]);
    }

    [Fact]
    public async Task Manual_sync_is_allowed_while_paused()
    {
        await using var ns = await cluster.CreateNamespaceAsync("pausesync");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("v1", ("app/a.yaml", TestManifests.ConfigMap("a", "v1")));
        repo.Push("main");
        await using var controller = await ControllerHarness.StartAsync(cluster,
            TestManifests.Application("pausesync", repo.FileUrl, "app", ns.Name));
        await controller.WaitForAsync("pausesync", a => a.SyncStatus == SyncStatus.Synced, "synced");
        await controller.Client.PauseAsync(new AppRef { Name = "pausesync" });
        repo.CommitFiles("v2", ("app/a.yaml", TestManifests.ConfigMap("a", "v2")));
        repo.Push("main");

        var response = await controller.Client.SyncAsync(new SyncRequest { Name = "pausesync" });

        Assert.Equal("Succeeded", response.Operation.Phase);
        Assert.Equal("user", response.Operation.InitiatedBy);
        Assert.Equal("v2", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("a", ns.Name)).Data["value"]);
    }
}
