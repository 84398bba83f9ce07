using System.Text.Json.Nodes;
using GitOps.Testing;
using k8s;

namespace GitOps.Cli.Tests;

/// <summary>The mission from the CLI: pause, sync by hand, resume, roll back by a revert commit, read history.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class SyncRollbackCommandsTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Pause_sync_resume_and_rollback_from_the_cli()
    {
        await using var s = await Scenario.StartAsync(cluster, "mission");
        Assert.Equal(0, (await s.GitopsAsync("app", "wait", "mission", "--sync", "--timeout", "60s")).ExitCode);

        var pause = await s.GitopsAsync("app", "pause", "mission");
        Assert.Equal("application mission paused\n", pause.Stdout);
        s.Commit("v2");
        await s.GitopsAsync("app", "refresh", "mission");
        Assert.Equal("v1", await ValueAsync(s));

        var sync = await s.GitopsAsync("app", "sync", "mission", "--wait", "--timeout", "60s");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Contains("configured", sync.Stderr, StringComparison.Ordinal);
        Assert.Contains("sync Succeeded", sync.Stderr, StringComparison.Ordinal);
        Assert.Equal("v2", await ValueAsync(s));

        Assert.Equal(0, (await s.GitopsAsync("app", "resume", "mission")).ExitCode);
        var bad = s.Commit("bad");
        await Eventually.HoldsAsync(() => ValueAsync(s), v => v == "bad", TimeSpan.FromSeconds(30), "the bad commit is applied");

        var rollback = await s.GitopsAsync("app", "rollback", "mission", "--commit", bad);
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Contains("reverted 1 commit(s): " + bad[..7], rollback.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("Revert \"settings bad\"", s.Repo.GitRemote("log", "-1", "--format=%s", "main"), StringComparison.Ordinal);
        await Eventually.HoldsAsync(() => ValueAsync(s), v => v == "v2", TimeSpan.FromSeconds(30), "the revert is applied");

        var history = JsonNode.Parse((await s.GitopsAsync("app", "history", "mission", "-o", "json")).Stdout)!.AsArray();
        var initiators = history.Select(h => (string?)h!["initiatedBy"]).ToList();
        Assert.Contains("auto", initiators);
        Assert.Contains("user", initiators);
        Assert.Contains("rollback", initiators);
    }

    private async Task<string> ValueAsync(Scenario s) =>
        (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", s.Namespace.Name)).Data["value"];
}
