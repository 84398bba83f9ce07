using System.Text.Json.Nodes;
using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary>`app list|get|history|manifests|wait` against a real controller, in every output format.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class AppStatusCommandsTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task List_get_history_and_manifests_print_table_json_and_yaml()
    {
        await using var s = await Scenario.StartAsync(cluster, "status");
        var wait = await s.GitopsAsync("app", "wait", "status", "--sync", "--timeout", "60s");
        Assert.True(wait.ExitCode == 0, wait.ToString());

        var table = await s.GitopsAsync("app", "list");
        Assert.Equal(0, table.ExitCode);
        var lines = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+SYNC\s+HEALTH\s+REVISION\s+PAUSED\s+LAST-SYNC$", lines[0]);
        Assert.Matches(@"^status\s+Synced\s+Healthy\s+[0-9a-f]{7}\s+false\s+\d+[smhd]$", lines[1]);

        var json = await s.GitopsAsync("app", "get", "status", "-o", "json", "--show-history");
        Assert.Equal(0, json.ExitCode);
        var app = JsonNode.Parse(json.Stdout)!.AsObject();
        Assert.Equal("status", (string?)app["name"]);
        Assert.Equal("default", (string?)app["project"]);
        Assert.Equal("Synced", (string?)app["syncStatus"]);
        Assert.Equal("Healthy", (string?)app["healthStatus"]);
        Assert.Equal(s.Repo.GitRemote("rev-parse", "main"), (string?)app["revision"]);
        Assert.False((bool)app["paused"]!);
        var resource = Assert.Single(app["resources"]!.AsArray())!;
        Assert.Equal("ConfigMap", (string?)resource["kind"]);
        Assert.Equal(s.Namespace.Name, (string?)resource["namespace"]);
        Assert.Equal("settings", (string?)resource["name"]);
        Assert.Equal("Synced", (string?)resource["status"]);
        Assert.Equal("Healthy", (string?)resource["health"]);
        Assert.NotEmpty(app["history"]!.AsArray());

        var list = JsonNode.Parse((await s.GitopsAsync("app", "list", "-o", "json")).Stdout)!.AsArray();
        Assert.Equal("status", (string?)Assert.Single(list)!["name"]);

        var details = await s.GitopsAsync("app", "get", "status");
        Assert.Contains("Project:     default\n", details.Stdout, StringComparison.Ordinal);

        var yaml = await s.GitopsAsync("app", "get", "status", "-o", "yaml");
        Assert.Equal(0, yaml.ExitCode);
        Assert.Contains("name: status", yaml.Stdout, StringComparison.Ordinal);
        Assert.Contains("syncStatus: Synced", yaml.Stdout, StringComparison.Ordinal);

        var history = await s.GitopsAsync("app", "history", "status");
        Assert.Matches(@"^ID\s+DATE\s+REVISION\s+RESULT\s+INITIATED-BY\s+MESSAGE", history.Stdout);
        Assert.Contains("settings v1", history.Stdout, StringComparison.Ordinal);

        var manifests = await s.GitopsAsync("app", "manifests", "status");
        Assert.Equal(0, manifests.ExitCode);
        Assert.Contains("kind: ConfigMap", manifests.Stdout, StringComparison.Ordinal);
        Assert.Contains("value: v1", manifests.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_app_and_bad_arguments_fail_with_a_message_and_no_stack_trace()
    {
        await using var s = await Scenario.StartAsync(cluster, "errors");

        var missing = await s.GitopsAsync("app", "get", "nope");
        Assert.Equal(5, missing.ExitCode);
        Assert.Contains("application 'nope' not found", missing.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", missing.Stderr, StringComparison.Ordinal);

        var badFormat = await s.GitopsAsync("app", "list", "-o", "xml");
        Assert.NotEqual(0, badFormat.ExitCode);
        Assert.Contains("unknown output format 'xml'", badFormat.Stderr + badFormat.Stdout, StringComparison.Ordinal);
    }
}
