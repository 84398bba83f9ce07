using GitOps.Api.V1;
using GitOps.Testing;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>Argo CD's multiple sources: the chart from a chart repository, its values file from a git repository
/// given a ref ($values/…). The app syncs with the git values, and a commit to the values repository is a new
/// revision that re-renders and syncs.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class MultiSourceAppTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Values_from_git_with_a_chart_from_a_repository_sync_and_follow_commits()
    {
        await using var ns = await cluster.CreateNamespaceAsync("multisrc");
        using var charts = new ChartRepositoryServer();
        charts.Publish([HelmCharts.Package("metallb", "0.13.9", "configmap:\n  ipRange: 10.0.0.1-10.0.0.9\n",
            ("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pool\ndata:\n  ipRange: {{ .Values.configmap.ipRange | quote }}\n"))]);
        using var values = TempGitRepository.Create();
        var first = values.CommitFiles("prod values", ("envs/prod/metallb.yaml", "configmap:\n  ipRange: 192.168.1.11-192.168.1.29\n"));
        values.Push("main");
        await using var controller = await ControllerHarness.StartAsync(cluster, $"""
            apiVersion: gitops.dev/v1alpha1
            kind: Application
            metadata:
              name: metallb
            spec:
              sources:
              - repoURL: {charts.Url}
                chart: metallb
                targetRevision: "0.13.*"
                helm:
                  valueFiles:
                  - $values/envs/prod/metallb.yaml
              - repoURL: {values.FileUrl}
                targetRevision: main
                ref: values
              destination:
                namespace: {ns.Name}
              syncPolicy:
                automated:
                  prune: true

            """);

        await controller.WaitForAsync("metallb", a => a.SyncStatus == SyncStatus.Synced && a.Revision?.Sha == $"0.13.9;values={first}",
            "the chart is synced with the values from git");
        Assert.Equal("192.168.1.11-192.168.1.29", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("pool", ns.Name)).Data["ipRange"]);

        var second = values.CommitFiles("widen the pool", ("envs/prod/metallb.yaml", "configmap:\n  ipRange: 192.168.1.11-192.168.1.49\n"));
        values.Push("main");
        await controller.WaitForAsync("metallb", a => a.SyncStatus == SyncStatus.Synced && a.Revision?.Sha == $"0.13.9;values={second}",
            "the values commit is a new revision and is synced");
        Assert.Equal("192.168.1.11-192.168.1.49", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("pool", ns.Name)).Data["ipRange"]);
    }
}
