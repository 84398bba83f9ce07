using GitOps.Api.V1;
using GitOps.Testing;
using Grpc.Net.Client;
using static GitOps.Controller.Tests.Promotion.PipelineScenario;

namespace GitOps.Controller.Tests.Promotion;

/// <summary>kill -9 of the controller while prod waits for approval loses nothing: the controller runs as a child
/// process on Deployments the node simulator makes Healthy; one of two approvals is given, the process is killed
/// with SIGKILL (no shutdown code runs), and the restarted controller on the same state still has the approval —
/// the second approval completes the gate and the promotion commit names both approvers.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class PipelineRestartTests(LocalClusterFixture cluster)
{
    private const string Tokens = $"""
        tokens:
          - {"{"}name: admin, token: {AdminToken}, role: admin{"}"}
          - {"{"}name: alice, token: {AliceToken}, role: approver, pipelines: [sample]{"}"}
          - {"{"}name: bob, token: {BobToken}, role: approver, pipelines: [sample]{"}"}
        """;

    [Fact]
    public async Task A_controller_killed_while_waiting_for_approval_keeps_the_approval()
    {
        await using var canary = await cluster.CreateNamespaceAsync("killpipe-canary");
        await using var prod = await cluster.CreateNamespaceAsync("killpipe-prod");
        await using var nodes = await SimulatedNodes.StartAsync(cluster, canary.Name, prod.Name);
        using var repo = TempGitRepository.Create();
        var v1 = repo.CommitFiles("Release v1.0.0",
            ("k8s/canary/frontend.yaml", SimulatedNodes.Deployment("frontend-canary", "nginx:1.0.0")),
            ("k8s/prod/frontend.yaml", SimulatedNodes.Deployment("frontend-production", "nginx:1.0.0")));
        repo.Git("tag", "v1.0.0");
        repo.Push("main", "v1.0.0");
        var directory = Directory.CreateTempSubdirectory("gitops-killpipe-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "applications.yaml"),
                TestManifests.Application("sample-canary", repo.FileUrl, "k8s/canary", canary.Name, revision: "'v*'") + "---\n"
                + TestManifests.Application("sample-prod", repo.FileUrl, "k8s/prod", prod.Name, revision: "env/prod"));
            await File.WriteAllTextAsync(Path.Combine(directory, "tokens.yaml"), Tokens);
            await File.WriteAllTextAsync(Path.Combine(directory, "pipelines.yaml"), PipelineYaml("""
                          approval:
                            count: 2
                """));
            string[] args = ["--pipelines", Path.Combine(directory, "pipelines.yaml"), "--pipeline-interval", "00:00:01",
                "--tokens", Path.Combine(directory, "tokens.yaml")];

            await using (var first = await RestartableControllerProcess.StartAsync(cluster.KubeconfigPath, directory, args))
            {
                var pipelines = Client(first);
                var waiting = await WaitAsync(pipelines, p => Stage(p, "prod").Candidate is { Phase: CandidatePhase.Waiting } c && c.Revision == v1
                    && c.Gates.Any(g => g.Kind == "healthy" && g.State == GateState.Passed), "v1.0.0 is Healthy in the canary and waits for approval");
                Assert.Equal("Healthy", Stage(waiting, "canary").Current.HealthStatus);
                await pipelines.ApproveAsync(new ApprovalRequest { Name = "sample", Stage = "prod", Comment = "canary looks good" }, As(AliceToken));
                await first.KillAsync();
            }

            await using var second = await RestartableControllerProcess.StartAsync(cluster.KubeconfigPath, directory, args);
            var restarted = Client(second);
            var after = await WaitAsync(restarted, p => p.EvaluatedAt is not null && Stage(p, "prod").Candidate is { Phase: CandidatePhase.Waiting },
                "still waiting after the restart");
            var approval = Assert.Single(Stage(after, "prod").Candidate.Approvals);
            Assert.Equal(("alice", "approved", "canary looks good"), (approval.By, approval.Decision, approval.Comment));
            Assert.Contains("waiting for 1 approval(s)", Stage(after, "prod").Candidate.Message, StringComparison.Ordinal);
            Assert.Throws<InvalidOperationException>(() => repo.GitRemote("rev-parse", "--verify", "refs/heads/env/prod"));

            await restarted.ApproveAsync(new ApprovalRequest { Name = "sample", Stage = "prod" }, As(BobToken));
            await WaitAsync(restarted, p => Stage(p, "prod").Current is { Tag: "v1.0.0", SyncStatus: "Synced", HealthStatus: "Healthy" },
                "prod runs v1.0.0, Healthy");
            var message = repo.GitRemote("log", "-1", "--format=%B", "env/prod");
            Assert.Contains("Gitops-Approved-By: alice", message, StringComparison.Ordinal);
            Assert.Contains("Gitops-Approved-By: bob", message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static PipelineService.PipelineServiceClient Client(RestartableControllerProcess controller) =>
        new(GrpcChannel.ForAddress($"http://{controller.Server}"));

    private static Task<Pipeline> WaitAsync(PipelineService.PipelineServiceClient client, Func<Pipeline, bool> condition, string because) =>
        Eventually.HoldsAsync(() => client.GetAsync(new PipelineRef { Name = "sample" }, As(AdminToken)).ResponseAsync,
            condition, TimeSpan.FromSeconds(120), because);
}
