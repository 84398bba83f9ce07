using System.Text.Json.Nodes;
using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary>`gitops pipeline`: get shows what waits and why, approve needs an approver token (exit 4 otherwise),
/// history lists the promotion commit with its approver; unknown pipelines exit 5, as `gitops app` does.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class PipelineCommandsTests(LocalClusterFixture cluster)
{
    private const string Tokens = """
        tokens:
          - {name: viewer, token: viewer-token-1, role: read-only}
          - {name: alice, token: alice-token-2, role: approver, pipelines: [sample]}
        """;

    [Fact]
    public async Task Get_approve_and_history_from_the_cli()
    {
        await using var sample = await SampleAsync(cluster, "clipipe", Tokens);
        var controller = sample.Controller;
        Task<CliResult> Gitops(string token, params string[] args) => Cli.RunAsync(["--server", controller.Server, "--token", token, .. args]);

        var waiting = await Eventually.HoldsAsync(async () => JsonNode.Parse((await Gitops("viewer-token-1", "pipeline", "get", "sample", "-o", "json")).Stdout)!,
            p => (string?)p["stages"]![1]!["candidate"]?["phase"] == "CANDIDATE_PHASE_WAITING", TimeSpan.FromSeconds(60), "v1.0.0 waits for approval");
        Assert.Equal("v1.0.0", (string?)waiting["stages"]![1]!["candidate"]!["tag"]);
        var table = await Gitops("viewer-token-1", "pipeline", "get", "sample");
        Assert.Contains("approval      pending  waiting for 1 approval(s): gitops pipeline approve sample --stage prod", table.Stdout, StringComparison.Ordinal);

        var denied = await Gitops("viewer-token-1", "pipeline", "approve", "sample", "--stage", "prod");
        Assert.Equal(4, denied.ExitCode);
        Assert.Contains("permission denied", denied.Stderr, StringComparison.Ordinal);
        var approved = await Gitops("alice-token-2", "pipeline", "approve", "sample", "--stage", "prod", "--revision", "v1.0.0");
        Assert.True(approved.ExitCode == 0, approved.ToString());
        // The approval completes the gates; the reply shows the stage right after it, which may still wait a moment
        // for a canary reconcile in flight (Synced/Healthy re-read), so the promotion itself is polled for.
        Assert.StartsWith("approved v1.0.0 for prod: ", approved.Stdout, StringComparison.Ordinal);
        await Eventually.HoldsAsync(async () => JsonNode.Parse((await Gitops("viewer-token-1", "pipeline", "get", "sample", "-o", "json")).Stdout)!,
            p => (string?)p["stages"]![1]!["candidate"]?["phase"] == "CANDIDATE_PHASE_PROMOTED", TimeSpan.FromSeconds(60), "v1.0.0 is promoted to prod");

        var history = await Gitops("viewer-token-1", "pipeline", "history", "sample");
        Assert.Matches(@"prod\s+[0-9a-f]{7}\s+promotion\s+v1\.0\.0\([0-9a-f]{7}\)\s+alice\s+Promote v1\.0\.0", history.Stdout);
        Assert.Equal(5, (await Gitops("viewer-token-1", "pipeline", "get", "nope")).ExitCode);
    }

    /// <summary>The sample pipeline for CLI tests: v1.0.0 tagged in a repository, canary (tags v*) and prod
    /// (env/prod, approval required) apps of one ConfigMap each, and the controller as a child process.</summary>
    internal static async Task<SamplePipeline> SampleAsync(LocalClusterFixture cluster, string prefix, string? tokens)
    {
        var canary = await cluster.CreateNamespaceAsync(prefix + "-canary");
        var prod = await cluster.CreateNamespaceAsync(prefix + "-prod");
        var repo = TempGitRepository.Create();
        repo.CommitFiles("Release v1.0.0", ("canary/cm.yaml", TestManifests.ConfigMap("canary", "v1.0.0")), ("prod/cm.yaml", TestManifests.ConfigMap("prod", "v1.0.0")));
        repo.Git("tag", "v1.0.0");
        repo.Push("main", "--tags");
        var pipelines = Path.Combine(repo.Root, "pipelines.yaml");
        // App names unique to the test: another controller on the cluster with an app of the same name would take
        // these objects for its own (the tracking label is the app name) and prune them.
        await File.WriteAllTextAsync(pipelines, """
            apiVersion: gitops.dev/v1alpha1
            kind: Pipeline
            metadata: {name: sample}
            spec:
              stages:
                - {name: canary, application: PREFIX-canary}
                - {name: prod, application: PREFIX-prod, gates: {approval: {required: true}}}
            """.Replace("PREFIX", prefix, StringComparison.Ordinal));
        var controller = await ControllerProcess.StartAsync(cluster.KubeconfigPath,
            TestManifests.Application(prefix + "-canary", repo.FileUrl, "canary", canary.Name, selfHeal: false, revision: "'v*'") + "---\n"
            + TestManifests.Application(prefix + "-prod", repo.FileUrl, "prod", prod.Name, selfHeal: false, revision: "env/prod"),
            tokens, ["--pipelines", pipelines, "--pipeline-interval", "00:00:01"]);
        return new SamplePipeline(controller, repo, canary, prod);
    }

    internal sealed record SamplePipeline(ControllerProcess Controller, TempGitRepository Repo, TestNamespace Canary, TestNamespace Prod)
        : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Controller.DisposeAsync();
            await Canary.DisposeAsync();
            await Prod.DisposeAsync();
            Repo.Dispose();
        }
    }
}
