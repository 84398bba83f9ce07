using GitOps.Api.V1;
using GitOps.Testing;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>An app whose chart lives in a real OCI registry (docker-registry, TLS, htpasswd; credentials and CA
/// bundle from the controller's credentials file) syncs, and a newly pushed version inside its range is applied.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class OciChartAppTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task A_chart_from_an_oci_registry_syncs_and_follows_new_tags_in_its_range()
    {
        await using var ns = await cluster.CreateNamespaceAsync("ocichart");
        using var registry = await OciRegistry.StartAsync();
        await registry.PushAsync(Chart("1.4.0"));
        await registry.PushAsync(Chart("2.0.0"));
        var credentials = Path.Combine(registry.Directory, "controller-credentials");
        await File.WriteAllTextAsync(credentials, registry.CredentialsLine + "\n");
        await using var controller = await ControllerHarness.StartAsync(cluster, $"""
            apiVersion: gitops.dev/v1alpha1
            kind: Application
            metadata:
              name: podinfo
            spec:
              source:
                repoURL: {registry.Url}
                chart: podinfo
                targetRevision: "^1.4"
              destination:
                namespace: {ns.Name}
              syncPolicy:
                automated:
                  prune: true

            """, extraArgs: ["--git-credentials", credentials]);

        await controller.WaitForAsync("podinfo", a => a.SyncStatus == SyncStatus.Synced && a.Revision?.Sha == "1.4.0", "1.4.0 is synced");
        Assert.Equal("1.4.0", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("podinfo", ns.Name)).Data["version"]);

        await registry.PushAsync(Chart("1.5.1"));
        await controller.WaitForAsync("podinfo", a => a.SyncStatus == SyncStatus.Synced && a.Revision?.Sha == "1.5.1",
            "the new tag in the range is synced");
        Assert.Equal("1.5.1", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("podinfo", ns.Name)).Data["version"]);
    }

    private static PackagedChart Chart(string version) => HelmCharts.Package("podinfo", version, "{}\n",
        ("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  version: {{ .Chart.Version | quote }}\n"));
}
