using GitOps.Api.V1;
using GitOps.Testing;
using k8s;
using static GitOps.Controller.Tests.Promotion.PipelineScenario;

namespace GitOps.Controller.Tests.Promotion;

/// <summary>autoRollback on the real control plane with the node simulator: a release whose prod overlay names an
/// unpullable image passes the canary, is promoted, turns prod Degraded after its progress deadline and is
/// reverted by a revert commit on env/prod (no force push); prod returns to the previous revision and Healthy,
/// the candidate is RolledBack and is not promoted again, and the history names the revert and why.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class AutoRollbackTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task A_promotion_that_turns_prod_Degraded_is_reverted_on_the_stage_branch()
    {
        await using var scenario = await PipelineScenario.CreateAsync(cluster, "autorb", simulatedNodes: true);
        var v1 = scenario.ReleaseImages("v1.0.0", "nginx:1.0.0", "nginx:1.0.0");
        var controller = await scenario.StartAsync(PipelineYaml("", stageExtra: "      autoRollback: {window: 5m}"));

        await scenario.WaitForAsync(p => Stage(p, "prod").Current is { Tag: "v1.0.0", SyncStatus: "Synced", HealthStatus: "Healthy" },
            "v1.0.0 is promoted and prod is Healthy with a running replica", seconds: 120);
        var promotedV1 = scenario.Repo.GitRemote("rev-parse", "env/prod");

        // v1.0.1 breaks only prod: the canary is Healthy, so the gates pass and it is promoted.
        var v2 = scenario.ReleaseImages("v1.0.1", "nginx:1.0.1", "registry.invalid/nginx:1.0.1");
        var rolledBack = await scenario.WaitForAsync(p => Stage(p, "prod").Candidate is { Phase: CandidatePhase.RolledBack } c && c.Revision == v2,
            "v1.0.1 is promoted, prod turns Degraded and the promotion is reverted", seconds: 180);
        var candidate = Stage(rolledBack, "prod").Candidate;
        Assert.Contains("prod turned Degraded at v1.0.1", candidate.Message, StringComparison.Ordinal);
        Assert.NotEmpty(candidate.PromotedCommit);

        // The branch: promotion of v1.0.0 → promotion of v1.0.1 → its revert, each a fast-forward.
        var head = scenario.Repo.GitRemote("rev-parse", "env/prod");
        Assert.Equal(head, candidate.RolledBackCommit);
        Assert.Equal(candidate.PromotedCommit, scenario.Repo.GitRemote("rev-parse", "env/prod^"));
        Assert.Equal(promotedV1, scenario.Repo.GitRemote("rev-parse", "env/prod^^"));
        Assert.Equal(scenario.Repo.GitRemote("rev-parse", v1 + "^{tree}"), scenario.Repo.GitRemote("rev-parse", "env/prod^{tree}"));
        var message = scenario.Repo.GitRemote("log", "-1", "--format=%B", "env/prod");
        Assert.StartsWith("Revert \"Promote v1.0.1", message, StringComparison.Ordinal);
        Assert.Contains($"Gitops-Rollback-Of: {candidate.PromotedCommit}", message, StringComparison.Ordinal);

        // Prod converges on the revert: Synced at it, Healthy, the good image again.
        await Eventually.HoldsAsync(() => controller.Client.GetAsync(new GetRequest { Name = "sample-prod" }, As(AdminToken)).ResponseAsync,
            a => a.Revision?.Sha == head && a.SyncStatus == SyncStatus.Synced && a.HealthStatus == HealthStatus.Healthy,
            TimeSpan.FromSeconds(120), "prod runs the revert and is Healthy again");
        var deployment = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("frontend-production", scenario.Prod.Name);
        Assert.Equal("nginx:1.0.0", deployment.Spec.Template.Spec.Containers[0].Image);

        // Not promoted again: later evaluations leave env/prod at the revert.
        var after = DateTimeOffset.UtcNow.AddSeconds(3);
        var settled = await scenario.WaitForAsync(p => p.EvaluatedAt?.ToDateTimeOffset() > after, "the pipeline evaluated again");
        Assert.Equal(CandidatePhase.RolledBack, Stage(settled, "prod").Candidate.Phase);
        // The revert is traced to what it restores: prod runs v1.0.0 again.
        Assert.Equal((head, v1, "v1.0.0"), (Stage(settled, "prod").Current.Commit, Stage(settled, "prod").Current.Revision, Stage(settled, "prod").Current.Tag));
        Assert.Equal(head, scenario.Repo.GitRemote("rev-parse", "env/prod"));

        var history = await controller.Pipelines.HistoryAsync(new PipelineHistoryRequest { Name = "sample" }, As(ViewerToken));
        Assert.Equal(["revert", "promotion", "promotion"], history.Entries.Select(e => e.Kind));
        Assert.Contains("prod turned Degraded at v1.0.1", history.Entries[0].RollbackReason, StringComparison.Ordinal);
    }
}
