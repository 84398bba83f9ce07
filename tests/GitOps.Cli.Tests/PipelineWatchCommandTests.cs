using GitOps.Testing;
using static GitOps.Cli.Tests.PipelineCommandsTests;

namespace GitOps.Cli.Tests;

/// <summary>`gitops pipeline watch`: streams what changes (the candidate waiting for approval, then promoted by an admin) and,
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
        await Eventually.HoldsAsync(() => Gitops("pipeline", "get", "sample"),
            r => r.Stdout.Contains("waiting for 1 approval(s)", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "v1.0.0 waits for approval");
        // The admin override promotes now whatever the other gates say: what is tested here is the stream
        // (PipelineCommandsTests covers approval → promotion).
        var promotedNow = await Gitops("pipeline", "promote", "sample", "--stage", "prod", "--force");
        Assert.True(promotedNow.ExitCode == 0, promotedNow.ToString());

        var result = await watch;
        Assert.True(result.ExitCode == 0, result + "\ncontroller log:\n" + string.Join('\n', controller.Log.Split('\n').TakeLast(60)));
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var waiting = Array.FindIndex(lines, l => l.Contains("prod: ", StringComparison.Ordinal) && l.Contains("v1.0.0(", StringComparison.Ordinal)
            && l.Contains("Waiting: ", StringComparison.Ordinal) && l.Contains("waiting for 1 approval(s)", StringComparison.Ordinal));
        var promoted = Array.FindIndex(lines, l => l.Contains("prod: ", StringComparison.Ordinal) && l.Contains("Promoted: promoted in ", StringComparison.Ordinal));
        Assert.True(waiting >= 0 && promoted > waiting, result.Stdout);
    }
}
