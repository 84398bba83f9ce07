using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary>Connection and authentication problems are one clear line and a distinct exit code.</summary>
public sealed class ConnectionErrorTests
{
    [Fact]
    public async Task Wrong_server_address_gives_a_clear_error_without_stack_trace()
    {
        var result = await Cli.RunAsync("app", "list", "--server", "127.0.0.1:1");

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("error: cannot reach the controller at 127.0.0.1:1", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_can_come_from_the_environment()
    {
        var result = await Cli.RunAsync(new Dictionary<string, string> { ["GITOPS_SERVER"] = "127.0.0.1:2" }, "app", "list");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("127.0.0.1:2", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_command_has_help_with_examples()
    {
        foreach (var command in new[] { "list", "get", "diff", "sync", "pause", "resume", "rollback", "history", "manifests", "wait", "refresh" })
        {
            var help = await Cli.RunAsync("app", command, "--help");
            Assert.True(help.ExitCode == 0, $"{command}: {help}");
            Assert.Contains("gitops app " + command, help.Stdout, StringComparison.Ordinal);
        }
    }
}

/// <summary>Tokens from the flag or GITOPS_TOKEN; unauthenticated and read-only callers are refused.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class CliAuthTests(LocalClusterFixture cluster)
{
    private const string Tokens = """
        tokens:
          - name: viewer
            token: view-1
            role: read-only
          - name: admin
            token: admin-1
            role: admin
        """;

    [Fact]
    public async Task Missing_wrong_and_read_only_tokens_are_refused()
    {
        await using var s = await Scenario.StartAsync(cluster, "authcli", Tokens);

        var none = await s.GitopsAsync("app", "list");
        Assert.Equal(4, none.ExitCode);
        Assert.Contains("not authenticated", none.Stderr, StringComparison.Ordinal);

        var wrong = await s.GitopsAsync("app", "list", "--token", "nope");
        Assert.Equal(4, wrong.ExitCode);

        var viewer = await Cli.RunAsync(new Dictionary<string, string> { ["GITOPS_TOKEN"] = "view-1" },
            "--server", s.Controller.Server, "app", "list");
        Assert.True(viewer.ExitCode == 0, viewer.ToString());
        Assert.Contains("authcli", viewer.Stdout, StringComparison.Ordinal);

        var denied = await Cli.RunAsync(new Dictionary<string, string> { ["GITOPS_TOKEN"] = "view-1" },
            "--server", s.Controller.Server, "app", "pause", "authcli");
        Assert.Equal(4, denied.ExitCode);
        Assert.Contains("permission denied", denied.Stderr, StringComparison.Ordinal);

        var admin = await s.GitopsAsync("app", "pause", "authcli", "--token", "admin-1");
        Assert.True(admin.ExitCode == 0, admin.ToString());
    }
}
