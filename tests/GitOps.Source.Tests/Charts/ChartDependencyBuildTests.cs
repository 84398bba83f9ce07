using GitOps.Source.Charts;
using GitOps.Testing;

namespace GitOps.Source.Tests.Charts;

/// <summary>`helm dependency build` in the source stage: remote dependencies charts/ lacks are fetched (Chart.lock
/// pins versions), file:// ones must stay inside the repository, vendored ones are left alone, repo aliases are refused.</summary>
public sealed class ChartDependencyBuildTests : IDisposable
{
    private readonly ChartHarness h = new();
    private readonly string repo;
    private readonly string chart;

    public ChartDependencyBuildTests()
    {
        h.Server.Publish(new[] { "1.0.0", "1.1.0", "1.2.0" }.Select(v => ChartHarness.Chart("common", v))
            .Concat([ChartHarness.Chart("redis", "19.0.1")]));
        repo = Path.Combine(h.Directory, "repo");
        chart = Path.Combine(repo, "apps", "web");
        Directory.CreateDirectory(Path.Combine(chart, "charts", "vendored"));
        File.WriteAllText(Path.Combine(chart, "charts", "vendored", "Chart.yaml"), "apiVersion: v2\nname: vendored\nversion: 1.0.0\n");
        Directory.CreateDirectory(Path.Combine(repo, "libs", "shared"));
        File.WriteAllText(Path.Combine(repo, "libs", "shared", "Chart.yaml"), "apiVersion: v2\nname: shared\nversion: 0.1.0\n");
    }

    public void Dispose() => h.Dispose();

    [Fact]
    public async Task Missing_remote_and_file_dependencies_are_fetched_and_the_lock_pins_versions()
    {
        WriteChart($"""
            - name: common
              version: 1.x
              repository: {h.Server.Url}
            - name: redis
              version: ~19.0
              repository: {h.Server.Url}/
              condition: redis.enabled
            - name: shared
              version: 0.1.0
              repository: file://../../libs/shared
            - name: vendored
              version: 1.0.0
              repository: {h.Server.Url}
            """);
        File.WriteAllText(Path.Combine(chart, "Chart.lock"),
            $"dependencies:\n- name: common\n  repository: {h.Server.Url}\n  version: 1.1.0\ndigest: sha256:0\n");

        var added = await ChartDependencies.BuildAsync(repo, chart, h.Source, ChartHarness.Timeout);

        Assert.Equal(3, added.Count);
        Assert.Equal(ChartHarness.Chart("common", "1.1.0").Digest + ".tgz", Path.GetFileName(added[0]));
        Assert.Equal(ChartHarness.Chart("redis", "19.0.1").Digest + ".tgz", Path.GetFileName(added[1]));
        Assert.Equal(Path.Combine(repo, "libs", "shared"), added[2]);
        Assert.Equal(0, h.Server.Count("vendored-1.0.0.tgz"));
    }

    [Theory]
    [InlineData("file://../../../outside", "leaves the repository")]
    [InlineData("bitnami", "helm repo alias")]
    [InlineData("@bitnami", "helm repo alias")]
    public async Task Dependencies_that_leave_the_repository_or_name_an_alias_are_refused(string repository, string message)
    {
        WriteChart($"- name: thing\n  version: 1.0.0\n  repository: \"{repository}\"\n");

        var e = await Assert.ThrowsAsync<GitSourceException>(() => ChartDependencies.BuildAsync(repo, chart, h.Source, ChartHarness.Timeout));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains("apps/web/Chart.yaml: dependency 'thing'", e.Message, StringComparison.Ordinal);
    }

    private void WriteChart(string dependencies) =>
        File.WriteAllText(Path.Combine(chart, "Chart.yaml"), "apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n" + dependencies);
}
