using GitOps.Api.V1;
using GitOps.Testing;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>An app whose source is a chart in a Helm chart repository (served over real HTTP) syncs with its
/// parameters, follows a change of its version range, and a tampered archive stops the pass before anything is
/// applied or pruned.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class ChartRepositoryAppTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task A_chart_from_a_repository_syncs_and_a_range_change_re_renders()
    {
        await using var ns = await cluster.CreateNamespaceAsync("chartrepo");
        using var repo = new ChartRepositoryServer();
        repo.Publish([Chart("0.13.9"), Chart("0.13.10"), Chart("0.14.0"), Chart("0.15.0-rc.1")]);
        await using var controller = await ControllerHarness.StartAsync(cluster, AppYaml(repo.Url, "0.13.*", ns.Name));

        var synced = await controller.WaitForAsync("metallb", a => a.SyncStatus == SyncStatus.Synced && a.Revision?.Sha == "0.13.10",
            "the highest 0.13 version is synced");
        Assert.Equal("metallb", synced.Source.Chart);
        var config = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("metallb-config", ns.Name);
        Assert.Equal("0.13.10", config.Data["chartVersion"]);
        Assert.Equal("192.168.1.11-192.168.1.49", config.Data["ipRange"]);
        Assert.Equal("v0.8.3", config.Data["controllerTag"]);

        await File.WriteAllTextAsync(controller.AppsFile, AppYaml(repo.Url, "0.14.*", ns.Name));
        var upgraded = await controller.WaitForAsync("metallb", a => a.Revision?.Sha == "0.14.0" && a.SyncStatus == SyncStatus.Synced,
            "the new range's version is synced");
        Assert.Contains(upgraded.History, h => h.Revision.Sha == "0.14.0" && h.Result == "Succeeded");
        Assert.Equal("0.14.0", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("metallb-config", ns.Name)).Data["chartVersion"]);
    }

    [Fact]
    public async Task A_tampered_archive_is_a_comparison_error_and_nothing_is_applied_or_pruned()
    {
        await using var ns = await cluster.CreateNamespaceAsync("charttamper");
        using var repo = new ChartRepositoryServer();
        repo.Publish([Chart("0.13.9")]);
        await using var controller = await ControllerHarness.StartAsync(cluster, AppYaml(repo.Url, "0.13.*", ns.Name));
        await controller.WaitForAsync("metallb", a => a.SyncStatus == SyncStatus.Synced && a.Revision?.Sha == "0.13.9", "synced");

        // 0.13.10 is listed with one digest but served with other bytes (and without the ConfigMap).
        var listed = Chart("0.13.10");
        repo.Publish([Chart("0.13.9"), listed]);
        repo.Put(listed.FileName, HelmCharts.Package("metallb", "0.13.10", "x: 1\n").Archive);

        var failed = await controller.WaitForAsync("metallb",
            a => a.Conditions.Any(c => c.Type == "ComparisonError" && c.Message.Contains("does not match", StringComparison.Ordinal)),
            "the digest mismatch is reported");
        Assert.Equal("0.13.9", failed.Revision?.Sha);
        Assert.Equal("0.13.9", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("metallb-config", ns.Name)).Data["chartVersion"]);
    }

    private static PackagedChart Chart(string version) => HelmCharts.Package("metallb", version,
        "controller:\n  tag: v0.8.0\nconfigmap:\n  ipRange: 10.0.0.1-10.0.0.9\n",
        ("configmap.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ .Release.Name }}-config
            data:
              chartVersion: {{ .Chart.Version | quote }}
              ipRange: {{ .Values.configmap.ipRange | quote }}
              controllerTag: {{ .Values.controller.tag | quote }}
            """));

    private static string AppYaml(string repoUrl, string range, string ns) => $"""
        apiVersion: gitops.dev/v1alpha1
        kind: Application
        metadata:
          name: metallb
        spec:
          source:
            repoURL: {repoUrl}
            chart: metallb
            targetRevision: "{range}"
            helm:
              parameters:
              - name: controller.tag
                value: v0.8.3
              - name: configmap.ipRange
                value: 192.168.1.11-192.168.1.49
          destination:
            namespace: {ns}
          syncPolicy:
            automated:
              prune: true
              selfHeal: true

        """;
}
