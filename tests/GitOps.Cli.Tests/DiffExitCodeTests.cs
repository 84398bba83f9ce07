using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary>`app diff --exit-code`: 0 in sync, 1 with differences (shown as a unified diff), 2+ on errors.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class DiffExitCodeTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Exit_code_tells_whether_git_and_cluster_differ()
    {
        await using var s = await Scenario.StartAsync(cluster, "diffcode");
        Assert.Equal(0, (await s.GitopsAsync("app", "wait", "diffcode", "--sync", "--timeout", "60s")).ExitCode);

        var clean = await s.GitopsAsync("app", "diff", "diffcode", "--exit-code");
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Equal("", clean.Stdout);

        Assert.Equal(0, (await s.GitopsAsync("app", "pause", "diffcode")).ExitCode);
        s.Commit("v2");
        var differs = await s.GitopsAsync("app", "diff", "diffcode", "--exit-code");
        Assert.True(differs.ExitCode == 1, differs.ToString());
        Assert.Contains("-  value: v1", differs.Stdout, StringComparison.Ordinal);
        Assert.Contains("+  value: v2", differs.Stdout, StringComparison.Ordinal);

        // Another revision of the repository, compared with the same live objects: the one the cluster runs is clean.
        var live = await s.GitopsAsync("app", "diff", "diffcode", "--revision", s.Repo.Git("rev-parse", "main~1").Trim(), "--exit-code");
        Assert.True(live.ExitCode == 0, live.ToString());

                var withoutFlag = await s.GitopsAsync("app", "diff", "diffcode");
        Assert.Equal(0, withoutFlag.ExitCode);

        var error = await s.GitopsAsync("app", "diff", "missing-app", "--exit-code");
        Assert.True(error.ExitCode >= 2, error.ToString());
    }
}
