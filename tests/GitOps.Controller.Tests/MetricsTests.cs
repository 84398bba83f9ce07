using GitOps.Api.V1;
using GitOps.Testing;

namespace GitOps.Controller.Tests;

/// <summary>/metrics serves the controller's families in the Prometheus text format, and they move with the work.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class MetricsTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Metrics_report_apps_syncs_reconciles_git_fetches_queue_and_api_calls()
    {
        await using var ns = await cluster.CreateNamespaceAsync("metrics");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("cm", ("app/a.yaml", TestManifests.ConfigMap("a", "1")));
        repo.Push("main");
        var missingRepo = "file://" + Path.Combine(Path.GetTempPath(), "no-such-repo-" + Guid.NewGuid().ToString("N"));
        await using var controller = await ControllerHarness.StartAsync(cluster,
            TestManifests.Application("metrics-ok", repo.FileUrl, "app", ns.Name) + "---\n"
            + TestManifests.Application("metrics-broken", missingRepo, "app", ns.Name));
        await controller.WaitForAsync("metrics-ok", a => a.SyncStatus == SyncStatus.Synced, "synced");

        var first = await Eventually.HoldsAsync(() => MetricsScrape.FromAsync(controller),
            m => m.Value("gitops_git_fetch_failures_total") >= 1 && m.Value("gitops_apps_by_sync_status{sync_status=\"Synced\"}") == 1,
            TimeSpan.FromSeconds(30), "the broken repo's failed fetch and the synced app are counted");
        Assert.True(first.HasFamily("gitops_apps_by_sync_status", "gauge"));
        Assert.True(first.HasFamily("gitops_apps_by_health_status", "gauge"));
        Assert.True(first.HasFamily("gitops_reconcile_duration_seconds", "histogram"));
        Assert.True(first.HasFamily("gitops_sync_duration_seconds", "histogram"));
        Assert.True(first.HasFamily("gitops_sync_total", "counter"));
        Assert.True(first.HasFamily("gitops_git_fetch_duration_seconds", "histogram"));
        Assert.True(first.HasFamily("gitops_git_fetch_failures_total", "counter"));
        Assert.True(first.HasFamily("gitops_workqueue_depth", "gauge"));
        Assert.True(first.HasFamily("gitops_engine_api_calls_total", "counter"));
        Assert.Equal(1, first.Value("gitops_apps_by_sync_status{sync_status=\"Unknown\"}"));
        Assert.Equal(0, first.Value("gitops_apps_by_sync_status{sync_status=\"OutOfSync\"}"));
        Assert.Equal(1, first.Value("gitops_apps_by_health_status{health_status=\"Healthy\"}"));
        Assert.NotNull(first.Value("gitops_workqueue_depth"));
        Assert.Equal(1, first.Value("gitops_leader"));
        Assert.True(first.Value("gitops_sync_total{result=\"Succeeded\"}") >= 1);
        Assert.True(first.Value("gitops_sync_duration_seconds_count{result=\"Succeeded\"}") >= 1);
        Assert.True(first.Value("gitops_reconcile_duration_seconds_count{result=\"ok\"}") >= 1);
        Assert.True(first.Value("gitops_reconcile_duration_seconds_count{result=\"error\"}") >= 1);
        Assert.True(first.Value("gitops_git_fetch_duration_seconds_count") >= 2);
        Assert.Equal(first.Value("gitops_sync_duration_seconds_count{result=\"Succeeded\"}"),
            first.Value("gitops_sync_duration_seconds_bucket{result=\"Succeeded\",le=\"+Inf\"}"));
        var writes = first.Value("gitops_engine_api_calls_total{kind=\"write\"}");
        Assert.True(writes >= 1, "the first sync wrote to the API server");

        // A new commit: one more successful sync, more writes.
        var change = repo.CommitFiles("a: 2", ("app/a.yaml", TestManifests.ConfigMap("a", "2")));
        repo.Push("main");
        await controller.WaitForAsync("metrics-ok", a => a.Revision?.Sha == change && a.SyncStatus == SyncStatus.Synced, "applied");
        var second = await Eventually.HoldsAsync(() => MetricsScrape.FromAsync(controller),
            m => m.Value("gitops_sync_total{result=\"Succeeded\"}") > first.Value("gitops_sync_total{result=\"Succeeded\"}"),
            TimeSpan.FromSeconds(20), "the sync of the new commit is counted");
        Assert.True(second.Value("gitops_engine_api_calls_total{kind=\"write\"}") > writes);
        Assert.True(second.Value("gitops_reconcile_duration_seconds_count{result=\"ok\"}")
                    > first.Value("gitops_reconcile_duration_seconds_count{result=\"ok\"}"));
    }
}
