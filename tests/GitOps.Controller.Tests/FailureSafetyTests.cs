using GitOps.Api.V1;
using GitOps.Testing;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>Nothing is lost: a broken render or an unreachable repository gives a clear condition and never
/// leads to apply or prune; the app recovers when the cause is fixed.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class FailureSafetyTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Broken_yaml_gives_comparison_error_and_prunes_nothing()
    {
        await using var ns = await cluster.CreateNamespaceAsync("broken");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("ok", ("app/a.yaml", TestManifests.ConfigMap("a", "1")), ("app/b.yaml", TestManifests.ConfigMap("b", "1")));
        repo.Push("main");
        await using var controller = await ControllerHarness.StartAsync(cluster,
            TestManifests.Application("broken", repo.FileUrl, "app", ns.Name));
        await controller.WaitForAsync("broken", a => a.SyncStatus == SyncStatus.Synced, "synced");

        repo.CommitFiles("broken", ("app/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: [unclosed\n"));
        repo.Push("main");

        var app = await controller.WaitForAsync("broken", a => a.Conditions.Any(c => c.Type == "ComparisonError"),
            "the render error is reported");
        var condition = app.Conditions.Single(c => c.Type == "ComparisonError");
        Assert.Contains("a.yaml", condition.Message, StringComparison.Ordinal);
        Assert.Equal(SyncStatus.Unknown, app.SyncStatus);
        var names = (await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(ns.Name)).Items.Select(c => c.Metadata.Name).ToList();
        Assert.Contains("a", names);
        Assert.Contains("b", names);
    }

    [Fact]
    public async Task An_oversized_file_fails_only_the_app_whose_path_holds_it()
    {
        await using var ns = await cluster.CreateNamespaceAsync("oversized");
        using var repo = TempGitRepository.Create();
        // Over the default per-file limit (16 MiB) of a snapshot; the other app of the branch must not notice.
        repo.CommitFiles("a big file beside one app", ("small/cm.yaml", TestManifests.ConfigMap("small", "1")),
            ("big/cm.yaml", TestManifests.ConfigMap("big", "1")), ("big/dump.json", new string('x', 17 * 1024 * 1024)));
        repo.Push("main");
        await using var controller = await ControllerHarness.StartAsync(cluster,
            TestManifests.Application("small", repo.FileUrl, "small", ns.Name) + "---\n"
            + TestManifests.Application("big", repo.FileUrl, "big", ns.Name));

        await controller.WaitForAsync("small", a => a.SyncStatus == SyncStatus.Synced, "the app beside the big file syncs");
        var big = await controller.WaitForAsync("big", a => a.Conditions.Any(c => c.Type == "ComparisonError"),
            "the app holding the big file is refused");
        var condition = big.Conditions.Single(c => c.Type == "ComparisonError");
        Assert.Contains("big/dump.json", condition.Message, StringComparison.Ordinal);
        Assert.Contains("per-file limit", condition.Message, StringComparison.Ordinal);
        var names = (await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(ns.Name)).Items.Select(c => c.Metadata.Name).ToList();
        Assert.Contains("small", names);
        Assert.DoesNotContain("big", names);
    }

    [Fact]
    public async Task Unreachable_repository_is_reported_and_the_app_recovers()
    {
        await using var ns = await cluster.CreateNamespaceAsync("gitdown");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("v1", ("app/a.yaml", TestManifests.ConfigMap("a", "v1")));
        repo.Push("main");
        await using var controller = await ControllerHarness.StartAsync(cluster,
            TestManifests.Application("gitdown", repo.FileUrl, "app", ns.Name));
        await controller.WaitForAsync("gitdown", a => a.SyncStatus == SyncStatus.Synced, "synced");

        var moved = repo.BarePath + ".away";
        Directory.Move(repo.BarePath, moved);
        var down = await controller.WaitForAsync("gitdown", a => a.Conditions.Any(c => c.Type == "ComparisonError"),
            "the fetch failure is reported");
        Assert.Equal(SyncStatus.Unknown, down.SyncStatus);
        Assert.NotNull(await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("a", ns.Name));

        Directory.Move(moved, repo.BarePath);
        var v2 = repo.CommitFiles("v2", ("app/a.yaml", TestManifests.ConfigMap("a", "v2")));
        repo.Push("main");
        // Backoff starts at 5 s and doubles; recovery within a minute.
        await controller.WaitForAsync("gitdown", a => a.Revision?.Sha == v2 && a.Conditions.Count == 0 && a.SyncStatus == SyncStatus.Synced,
            "the app recovers and syncs v2", 60);
        Assert.Equal("v2", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("a", ns.Name)).Data["value"]);
    }
}
