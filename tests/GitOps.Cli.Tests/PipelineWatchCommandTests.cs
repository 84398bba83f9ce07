using GitOps.Testing;
using static GitOps.Cli.Tests.PipelineCommandsTests;

namespace GitOps.Cli.Tests;

/// <summary>`gitops pipeline watch`: streams what changes (the candidate waiting for approval, then promoted) and,
/// with --until, exits 0 once the stage's candidate reaches the phase; 1 when --timeout passes first.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class PipelineWatchCommandTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Watch_streams_the_changes_and_ends_when_the_phase_is_reached()
    {
        await using var sample = await SampleAsync(cluster, "cliwatch", tokens: null);
        var controller = sample.Controller;
        Task<CliResult> Gitops(params string[] args) => Cli.RunAsync(["--server", controller.Server, .. args]);

        var notYet = await Gitops("pipeline", "watch", "sample", "--stage", "prod", "--until", "promoted", "--timeout", "3s");
        Assert.Equal(1, notYet.ExitCode);
        Assert.Contains("timed out after", notYet.Stderr, StringComparison.Ordinal);

        // Under the CLI runner's two-minute limit, so a watch that misses the promotion says so itself.
        var watch = Gitops("pipeline", "watch", "sample", "--stage", "prod", "--until", "promoted", "--timeout", "100s");
        // Every other gate passed: only the approval is missing (the canary has synced v1.0.0 and is healthy).
        await Eventually.HoldsAsync(() => Gitops("pipeline", "get", "sample"),
            r => r.Stdout.Contains("waiting for 1 approval(s)", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "v1.0.0 waits for approval");
        var approved = await Gitops("pipeline", "approve", "sample", "--stage", "prod");
        Assert.True(approved.ExitCode == 0, approved.ToString());

        var result = await watch;
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var waiting = Array.FindIndex(lines, l => l.Contains("prod: ", StringComparison.Ordinal) && l.Contains("v1.0.0(", StringComparison.Ordinal) && l.Contains("Waiting: waiting for 1 approval(s)", StringComparison.Ordinal));
        var promoted = Array.FindIndex(lines, l => l.Contains("prod: ", StringComparison.Ordinal) && l.Contains("Promoted: promoted in ", StringComparison.Ordinal));
        Assert.True(waiting >= 0 && promoted > waiting, result.Stdout);
    }
}
