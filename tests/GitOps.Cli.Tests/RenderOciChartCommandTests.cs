using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary>`gitops render oci://HOST/PATH/CHART --version RANGE` renders a chart from a real OCI registry, with the
/// registry's credentials and CA bundle from --credentials.</summary>
public sealed class RenderOciChartCommandTests
{
    [Fact]
    public async Task Renders_a_chart_from_a_registry()
    {
        using var registry = await OciRegistry.StartAsync();
        foreach (var v in new[] { "3.1.0", "3.2.0", "4.0.0" })
        {
            await registry.PushAsync(HelmCharts.Package("api", v, "{}\n",
                ("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  version: {{ .Chart.Version | quote }}\n")));
        }

        var credentials = Path.Combine(registry.Directory, "cli-credentials");
        await File.WriteAllTextAsync(credentials, registry.CredentialsLine + "\n");

        var result = await Cli.RunInAsync(registry.Directory, null, "render", registry.Url + "/api", "--version", "3.x",
            "--release-name", "edge", "--credentials", credentials, "--cache-dir", Path.Combine(registry.Directory, "cli-cache"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("---\n# Source: api/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: edge\ndata:\n  version: \"3.2.0\"\n",
            result.Stdout);
    }
}
