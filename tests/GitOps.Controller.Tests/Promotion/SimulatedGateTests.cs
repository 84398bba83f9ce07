using GitOps.Api.V1;
using GitOps.Testing;
using static GitOps.Controller.Tests.Promotion.PipelineScenario;

namespace GitOps.Controller.Tests.Promotion;

/// <summary>The gates against real rollouts and Jobs (node simulator, no test playing the kubelet): a verification
/// Job whose container exits 1 blocks the promotion, and the status says why with the tail of its log; a canary
/// with an unpullable image goes Degraded after its progress deadline and blocks the promotion.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class SimulatedGateTests(LocalClusterFixture cluster)
{
    private const string FailingVerification = """
                  verification:
                    timeout: 5m
                    job:
                      backoffLimit: 0
                      template:
                        spec:
                          restartPolicy: Never
                          containers:
                            - name: smoke
                              image: curlimages/curl:8.10.1
                              env:
                                - {name: SIM_EXIT_CODE, value: "1"}
                                - {name: SIM_LOG, value: "GET http://frontend-canary/healthz: 503\nsmoke test failed"}
        """;

    [Fact]
    public async Task A_failing_verification_Job_blocks_promotion_and_its_log_tail_says_why()
    {
        await using var scenario = await PipelineScenario.CreateAsync(cluster, "simverify", simulatedNodes: true);
        var v1 = scenario.ReleaseImages("v1.0.0", "nginx:1.0.0", "nginx:1.0.0");
        await scenario.StartAsync(PipelineYaml(FailingVerification));

        var blocked = await scenario.WaitForAsync(p => Stage(p, "prod").Candidate is { Phase: CandidatePhase.Blocked } c && c.Revision == v1,
            "the verification Job runs against the Healthy canary, fails, and blocks v1.0.0", seconds: 120);
        var candidate = Stage(blocked, "prod").Candidate;
        Assert.Contains($"verification Job sample-prod-{v1[..7]} failed", candidate.Message, StringComparison.Ordinal);
        var gate = candidate.Gates.Single(g => g.Kind == "verification");
        Assert.Equal(GateState.Failed, gate.State);
        Assert.Contains(gate.Log, line => line.Contains("smoke test failed", StringComparison.Ordinal));
        Assert.Equal(GateState.Passed, candidate.Gates.Single(g => g.Kind == "healthy").State);
        Assert.Throws<InvalidOperationException>(() => scenario.Repo.GitRemote("rev-parse", "--verify", "refs/heads/env/prod"));
    }

    [Fact]
    public async Task A_canary_with_an_unpullable_image_goes_Degraded_and_blocks_promotion()
    {
        await using var scenario = await PipelineScenario.CreateAsync(cluster, "simdegraded", simulatedNodes: true);
        var v1 = scenario.ReleaseImages("v1.0.0", "registry.invalid/nginx:1.0.0", "registry.invalid/nginx:1.0.0");
        await scenario.StartAsync(PipelineYaml(""));

        var blocked = await scenario.WaitForAsync(p => Stage(p, "prod").Candidate is { Phase: CandidatePhase.Blocked } c && c.Revision == v1,
            "the canary exceeds its progress deadline, is Degraded, and blocks v1.0.0", seconds: 120);
        Assert.Equal("Degraded", Stage(blocked, "canary").Current.HealthStatus);
        Assert.Contains("canary is Degraded at v1.0.0", Stage(blocked, "prod").Candidate.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => scenario.Repo.GitRemote("rev-parse", "--verify", "refs/heads/env/prod"));
    }
}
