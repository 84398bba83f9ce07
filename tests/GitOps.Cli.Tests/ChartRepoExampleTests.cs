using System.Diagnostics;
using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary>examples/chart-repo: publish.sh writes a chart repository (archives + index.yaml with digests) that the
/// chart source accepts, and `gitops render --repo` renders the seeds' parameters from it.</summary>
public sealed class ChartRepoExampleTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("gitops-chart-example-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public async Task The_published_repository_renders_the_range_with_parameters()
    {
        var repository = Path.Combine(work, "charts");
        var publish = Process.Start(new ProcessStartInfo("bash", [Path.Combine(RepositoryLayout.Root, "examples/chart-repo/publish.sh"), repository])
        {
            RedirectStandardOutput = true,
        })!;
        await publish.WaitForExitAsync();
        Assert.Equal(0, publish.ExitCode);
        using var server = new ChartRepositoryServer();
        foreach (var file in Directory.GetFiles(repository))
        {
            server.Put(Path.GetFileName(file), await File.ReadAllBytesAsync(file));
        }

        var result = await Cli.RunInAsync(work, null, "render", "--repo", server.Url, "metallb", "--version", "0.13.*",
            "--set", "controller.tag=v0.8.3", "--set", "configmap.ipRange=192.168.1.11-192.168.1.49", "-n", "metallb-system",
            "--release-name", "metallb", "--cache-dir", Path.Combine(work, "cache"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("helm.sh/chart: metallb-0.13.10", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("- 192.168.1.11-192.168.1.49", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("image: metallb/controller:v0.8.3", result.Stdout, StringComparison.Ordinal);
    }
}
