using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary>`gitops render --repo URL CHART --version RANGE` renders a chart from a chart repository over HTTP as
/// `helm template --repo` does; a bad version is a clear error.</summary>
public sealed class RenderRepoChartCommandTests : IDisposable
{
    private readonly ChartRepositoryServer server = new();
    private readonly string work = Directory.CreateTempSubdirectory("gitops-repochart-").FullName;

    public RenderRepoChartCommandTests() =>
        server.Publish(new[] { "1.2.0", "1.2.5", "1.3.0" }.Select(v => HelmCharts.Package("web", v, "color: blue\n",
            ("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  color: {{ .Values.color }}\n  version: {{ .Chart.Version | quote }}\n"))));

    public void Dispose()
    {
        server.Dispose();
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public async Task Renders_the_highest_version_in_the_range_with_values()
    {
        var result = await Cli.RunInAsync(work, null, "render", "--repo", server.Url, "web", "--version", "~1.2",
            "--release-name", "shop", "--set", "color=red", "--cache-dir", Path.Combine(work, "cache"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("---\n# Source: web/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\ndata:\n  color: red\n  version: \"1.2.5\"\n",
            result.Stdout);
    }

    [Fact]
    public async Task A_version_nothing_matches_is_a_clear_error()
    {
        var result = await Cli.RunInAsync(work, null, "render", "--repo", server.Url, "web", "--version", "2.x",
            "--cache-dir", Path.Combine(work, "cache"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no version of chart 'web'", result.Stderr, StringComparison.Ordinal);
    }
}
