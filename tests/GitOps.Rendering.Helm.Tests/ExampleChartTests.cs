namespace GitOps.Rendering.Helm.Tests;

/// <summary>examples/helm-echo renders with each of its values files (found by walking up to the repository).</summary>
public sealed class ExampleChartTests
{
    private static string? RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GitOps.sln"))) return dir.FullName;
        return null;
    }

    [Theory]
    [InlineData(null, 1L, "ClusterIP")]
    [InlineData("values-dev.yaml", 1L, "ClusterIP")]
    [InlineData("values-prod.yaml", 3L, "LoadBalancer")]
    public async Task Helm_echo_renders(string? valuesFile, long replicas, string serviceType)
    {
        var root = RepoRoot();
        Assert.NotNull(root);
        var options = new HelmOptions(ValueFiles: valuesFile is null ? [] : [valuesFile], ReleaseName: "echo");
        var output = await new HelmRenderer().TemplateAsync(root!, "examples/helm-echo", options, null, CancellationToken.None);
        Assert.Equal(["ConfigMap", "Service", "Deployment"], output.Manifests.Select(m => m.Kind));
        Assert.All(output.Manifests, m => Assert.Equal("echo-helm-echo", m.Name));
        var deployment = output.Manifests[2].Object;
        Assert.Equal(replicas, (long)deployment["spec"]!["replicas"]!);
        Assert.Equal(serviceType, (string?)output.Manifests[1].Object["spec"]!["type"]);
        Assert.Contains("nginx.conf", output.Manifests[0].Object["data"]!.AsObject().Select(kv => kv.Key));
        Assert.Contains("# Source: helm-echo/templates/deployment.yaml", output.Text, StringComparison.Ordinal);
    }
}
