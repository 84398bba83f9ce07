using System.Text.Json.Nodes;
using GitOps.Api.V1;
using GitOps.Testing;
using k8s;
using k8s.Models;
using static GitOps.Controller.Tests.Promotion.PipelineScenario;

namespace GitOps.Controller.Tests.Promotion;

/// <summary>The verification Job runs in the canary's namespace once it is Synced and Healthy at the revision; a
/// failed Job blocks the promotion and says why, a succeeded one lets it through. Our control plane has no
/// kubelet, so the test plays the kubelet and the Job controller: it sets the Job's outcome through the status
/// subresource, as kube-controller-manager would once the pod ended.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class VerificationGateTests(LocalClusterFixture cluster)
{
    private const string Gates = """
                  verification:
                    timeout: 5m
                    job:
                      backoffLimit: 0
                      template:
                        spec:
                          restartPolicy: Never
                          containers:
                            - name: smoke
                              image: busybox:1.36
                              command: ["sh", "-c", "wget -qO- http://frontend-canary"]
        """;

    [Fact]
    public async Task A_failed_verification_blocks_promotion_and_a_succeeded_one_promotes()
    {
        await using var scenario = await PipelineScenario.CreateAsync(cluster, "verify");
        var v1 = scenario.Release("v1.0.0");
        await scenario.StartAsync(PipelineYaml(Gates));

        var started = await scenario.WaitForAsync(p => Stage(p, "prod").Candidate?.Gates.Any(g => g.Kind == "verification" && g.Message.Contains("running", StringComparison.Ordinal)) == true,
            "the verification Job runs in the canary namespace");
        var job = $"sample-prod-{v1[..7]}";
        var created = await cluster.Client.BatchV1.ReadNamespacedJobAsync(job, scenario.Canary.Name);
        Assert.Equal(v1, created.Metadata.Labels["gitops.dev/revision"]);
        Assert.Equal(CandidatePhase.Waiting, Stage(started, "prod").Candidate.Phase);

        await SetOutcomeAsync(scenario.Canary.Name, job, "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        var blocked = await scenario.WaitForAsync(p => Stage(p, "prod").Candidate?.Phase == CandidatePhase.Blocked, "the failed Job blocks");
        Assert.Contains($"verification Job {job} failed: BackoffLimitExceeded", Stage(blocked, "prod").Candidate.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => scenario.Repo.GitRemote("rev-parse", "--verify", "refs/heads/env/prod"));

        // The next release gets its own Job; it succeeds and the promotion follows.
        var v2 = scenario.Release("v1.0.1");
        var job2 = $"sample-prod-{v2[..7]}";
        var superseded = await scenario.WaitForAsync(p => Stage(p, "prod").Candidate?.VerificationJob == job2, "v1.0.1 is verified by its own Job");
        Assert.Contains(Stage(superseded, "prod").Past, c => c.Revision == v1 && c.Phase == CandidatePhase.Superseded);
        await SetOutcomeAsync(scenario.Canary.Name, job2, "Complete", "", "");
        await scenario.WaitForAsync(p => Stage(p, "prod").Current is { Tag: "v1.0.1", SyncStatus: "Synced" }, "prod runs v1.0.1");
        Assert.Contains($"- verification: passed: Job {job2} succeeded", scenario.Repo.GitRemote("log", "-1", "--format=%B", "env/prod"), StringComparison.Ordinal);
    }

    private async Task SetOutcomeAsync(string ns, string job, string type, string reason, string message)
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = type, ["status"] = "True", ["reason"] = reason, ["message"] = message,
                    ["lastProbeTime"] = now, ["lastTransitionTime"] = now,
                }),
                [type == "Complete" ? "succeeded" : "failed"] = 1,
                ["startTime"] = now,
                ["completionTime"] = type == "Complete" ? now : null,
            },
        };
        await cluster.Client.BatchV1.PatchNamespacedJobStatusAsync(
            new V1Patch(status.ToJsonString(), V1Patch.PatchType.MergePatch), job, ns);
    }
}
