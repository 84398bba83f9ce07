using GitOps.Api.V1;
using GitOps.Testing;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>A chart in git whose Chart.yaml depends on a chart in a chart repository (not vendored in charts/):
/// the controller fetches it as `helm dependency build` would, Chart.lock pins its version, and the parent's values
/// and conditions reach the subchart.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class ChartDependencyAppTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task A_remote_dependency_is_fetched_and_rendered_as_a_subchart()
    {
        await using var ns = await cluster.CreateNamespaceAsync("chartdeps");
        using var charts = new ChartRepositoryServer();
        charts.Publish(new[] { "2.0.0", "2.1.0" }.Select(v => HelmCharts.Package("cache", v, "size: small\n",
            ("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cache\ndata:\n  size: {{ .Values.size | quote }}\n  version: {{ .Chart.Version | quote }}\n"))));
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("shop chart",
            ("shop/Chart.yaml", $"apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n- name: cache\n  version: 2.x\n  repository: {charts.Url}\n  condition: cache.enabled\n"),
            ("shop/Chart.lock", $"dependencies:\n- name: cache\n  repository: {charts.Url}\n  version: 2.0.0\ndigest: sha256:0\ngenerated: \"2024-01-01T00:00:00Z\"\n"),
            ("shop/values.yaml", "cache:\n  enabled: true\n  size: large\n"),
            ("shop/templates/cm.yaml", TestManifests.ConfigMap("shop", "1")));
        repo.Push("main");
        await using var controller = await ControllerHarness.StartAsync(cluster, TestManifests.Application("shop", repo.FileUrl, "shop", ns.Name));

        await controller.WaitForAsync("shop", a => a.SyncStatus == SyncStatus.Synced && a.Resources.Count == 2, "the chart and its dependency are synced");
        var cache = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("cache", ns.Name);
        Assert.Equal("large", cache.Data["size"]);
        Assert.Equal("2.0.0", cache.Data["version"]); // pinned by Chart.lock, not the highest 2.x
    }
}
