using GitOps.Api.V1;
using GitOps.Testing;
using Grpc.Core;
using static GitOps.Controller.Tests.Promotion.PipelineScenario;

namespace GitOps.Controller.Tests.Promotion;

/// <summary>The notes' story against the real control plane and git over smart HTTP: a tag reaches the canary,
/// waits for approval, is promoted to prod by a commit on env/prod naming the tag and the approver; a read-only
/// token cannot approve; a revert on env/prod rolls prod back and the history shows it.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class PipelineStoryTests(LocalClusterFixture cluster)
{
    private const string ApprovalGate = """
                  approval:
                    required: true
        """;

    [Fact]
    public async Task Tags_reach_prod_only_by_approved_promotion_commits_and_a_revert_rolls_prod_back()
    {
        await using var scenario = await PipelineScenario.CreateAsync(cluster, "story");
        var v100 = scenario.Release("v1.0.0");
        var controller = await scenario.StartAsync(PipelineYaml(ApprovalGate));

        var waiting = await scenario.WaitForAsync(p => Stage(p, "prod").Candidate is { Revision: var r, Phase: CandidatePhase.Waiting } && r == v100,
            "v1.0.0 reaches the canary and waits to enter prod");
        Assert.Equal("v1.0.0", Stage(waiting, "canary").Current.Tag);
        var prodCandidate = Stage(waiting, "prod").Candidate;
        Assert.Equal("v1.0.0", prodCandidate.Tag);
        Assert.Contains(prodCandidate.Gates, g => g.Kind == "approval" && g.State == GateState.Pending);
        Assert.Throws<InvalidOperationException>(() => scenario.Repo.GitRemote("rev-parse", "--verify", "refs/heads/env/prod"));

        var denied = await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => controller.Pipelines.ApproveAsync(
            new ApprovalRequest { Name = "sample", Stage = "prod" }, As(ViewerToken)).ResponseAsync);
        Assert.Contains("approver", denied.Status.Detail, StringComparison.Ordinal);
        await controller.Pipelines.ApproveAsync(new ApprovalRequest { Name = "sample", Stage = "prod", Revision = "v1.0.0" }, As(AliceToken));

        var promoted = await scenario.WaitForAsync(p => Stage(p, "prod").Current is { Tag: "v1.0.0", SyncStatus: "Synced" },
            "prod runs v1.0.0 after the approval");
        var first = scenario.Repo.GitRemote("rev-parse", "env/prod");
        Assert.Equal(first, Stage(promoted, "prod").Current.Commit);
        Assert.Equal(scenario.Repo.GitRemote("rev-parse", v100 + "^{tree}"), scenario.Repo.GitRemote("rev-parse", "env/prod^{tree}"));
        var message = scenario.Repo.GitRemote("log", "-1", "--format=%B", "env/prod");
        Assert.StartsWith($"Promote v1.0.0 ({v100[..7]}) to prod", message, StringComparison.Ordinal);
        Assert.Contains("Gitops-Approved-By: alice", message, StringComparison.Ordinal);
        Assert.Contains($"Gitops-Revision: {v100}", message, StringComparison.Ordinal);
        Assert.Equal("v1.0.0", await scenario.ProdValueAsync());

        // v1.0.1: the canary moves on; prod waits for a new approval.
        var v101 = scenario.Release("v1.0.1");
        await scenario.WaitForAsync(p => Stage(p, "prod").Candidate is { Tag: "v1.0.1", Phase: CandidatePhase.Waiting },
            "v1.0.1 waits to enter prod");
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => controller.Pipelines.ApproveAsync(
            new ApprovalRequest { Name = "sample", Stage = "prod" }, As(ViewerToken)).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => controller.Pipelines.ApproveAsync(
            new ApprovalRequest { Name = "sample", Stage = "prod", Revision = "v1.0.0" }, As(AliceToken)).ResponseAsync);
        await controller.Pipelines.ApproveAsync(new ApprovalRequest { Name = "sample", Stage = "prod", Revision = "v1.0.1" }, As(BobToken));
        await scenario.WaitForAsync(p => Stage(p, "prod").Current is { Tag: "v1.0.1", SyncStatus: "Synced" }, "prod runs v1.0.1");
        Assert.Equal(first, scenario.Repo.GitRemote("log", "-1", "--format=%P", "env/prod"));
        Assert.Equal("v1.0.1", await scenario.ProdValueAsync());
        Assert.Equal(v101, scenario.Repo.GitRemote("log", "-1", "--format=%(trailers:key=Gitops-Revision,valueonly)", "env/prod").Trim());

        // Rollback: `gitops app rollback sample-prod` reverts the promotion on env/prod; prod returns to v1.0.0 and
        // the pipeline does not promote v1.0.1 again.
        var rollback = await controller.Client.RollbackAsync(new RollbackRequest { Name = "sample-prod" }, As(AdminToken));
        await Eventually.HoldsAsync(() => controller.Client.GetAsync(new GetRequest { Name = "sample-prod" }, As(AdminToken)).ResponseAsync,
            a => a.Revision?.Sha == rollback.RevertCommit && a.SyncStatus == SyncStatus.Synced, TimeSpan.FromSeconds(60), "the revert is synced");
        Assert.Equal("v1.0.0", await scenario.ProdValueAsync());
        var after = DateTimeOffset.UtcNow.AddSeconds(2);
        var settled = await scenario.WaitForAsync(p => p.EvaluatedAt?.ToDateTimeOffset() > after, "the pipeline evaluated after the revert");
        Assert.Equal(rollback.RevertCommit, scenario.Repo.GitRemote("rev-parse", "env/prod"));
        Assert.Equal(CandidatePhase.Promoted, Stage(settled, "prod").Candidate.Phase);
        Assert.Equal((rollback.RevertCommit, v100, "v1.0.0"),
            (Stage(settled, "prod").Current.Commit, Stage(settled, "prod").Current.Revision, Stage(settled, "prod").Current.Tag));

        var history = await controller.Pipelines.HistoryAsync(new PipelineHistoryRequest { Name = "sample" }, As(ViewerToken));
        Assert.Equal(["revert", "promotion", "promotion"], history.Entries.Select(e => e.Kind));
        Assert.Equal(["v1.0.1", "v1.0.0"], history.Entries.Skip(1).Select(e => e.Tag));
        Assert.Equal(["bob"], history.Entries[1].ApprovedBy);
        Assert.Equal(["alice"], history.Entries[2].ApprovedBy);
    }
}
