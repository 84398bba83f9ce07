using GitOps.Api.V1;
using GitOps.Testing;
using static GitOps.Controller.Tests.Promotion.PipelineScenario;

namespace GitOps.Controller.Tests.Promotion;

/// <summary>An approval given while a stage waits is kept across a controller restart: the second approval after
/// the restart completes the gate and the promotion names both approvers.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class PipelineRestartTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task A_restart_while_waiting_for_approval_loses_nothing()
    {
        await using var scenario = await PipelineScenario.CreateAsync(cluster, "restart");
        var v1 = scenario.Release("v1.0.0");
        var yaml = PipelineYaml("""
                      approval:
                        count: 2
            """);
        var controller = await scenario.StartAsync(yaml);
        await scenario.WaitForAsync(p => Stage(p, "prod").Candidate is { Phase: CandidatePhase.Waiting } c && c.Revision == v1, "v1.0.0 waits");
        await controller.Pipelines.ApproveAsync(new ApprovalRequest { Name = "sample", Stage = "prod", Comment = "canary looks good" }, As(AliceToken));

        await controller.StopAsync();
        controller = await scenario.StartAsync(yaml);

        var restarted = await scenario.WaitForAsync(p => Stage(p, "prod").Candidate is { Phase: CandidatePhase.Waiting }, "still waiting after the restart");
        var approval = Assert.Single(Stage(restarted, "prod").Candidate.Approvals);
        Assert.Equal(("alice", "approved", "canary looks good"), (approval.By, approval.Decision, approval.Comment));
        Assert.Contains("waiting for 1 approval(s)", Stage(restarted, "prod").Candidate.Message, StringComparison.Ordinal);

        await controller.Pipelines.ApproveAsync(new ApprovalRequest { Name = "sample", Stage = "prod" }, As(BobToken));
        await scenario.WaitForAsync(p => Stage(p, "prod").Current is { Tag: "v1.0.0", SyncStatus: "Synced" }, "prod runs v1.0.0");
        var message = scenario.Repo.GitRemote("log", "-1", "--format=%B", "env/prod");
        Assert.Contains("Gitops-Approved-By: alice", message, StringComparison.Ordinal);
        Assert.Contains("Gitops-Approved-By: bob", message, StringComparison.Ordinal);
    }
}
