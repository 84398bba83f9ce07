using System.Text.Json.Nodes;
using GitOps.Api.V1;
using GitOps.Testing;
using k8s;

namespace GitOps.Controller.Tests.Promotion;

/// <summary>CRD mode: a Pipeline object beside its Application objects is run, its status subresource carries
/// the candidate and its gates, an approval over the API promotes, the status says so, and the transitions are
/// Kubernetes Events on the Pipeline object (approval required, promoted). The object is created after the
/// controller started, with a 10-minute pipeline interval: it is found by the watch.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class CrdPipelineTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task A_pipeline_object_is_run_and_its_status_shows_the_candidate_and_the_promotion()
    {
        await CrdCluster.InstallCrdAsync(cluster);
        await CrdCluster.InstallCrdAsync(cluster, "pipeline-crd.yaml", "pipelines.gitops.dev");
        await using var ns = await cluster.CreateNamespaceAsync("crdpipe");
        await using var prodNs = await cluster.CreateNamespaceAsync("crdpipe-prod");
        using var repo = TempGitRepository.Create();
        var v1 = repo.CommitFiles("Release v1.0.0", ("canary/a.yaml", TestManifests.ConfigMap("a", "v1")), ("prod/a.yaml", TestManifests.ConfigMap("a", "v1")));
        repo.Git("tag", "v1.0.0");
        repo.Push("main", "--tags");
        await CrdCluster.CreateAsync(cluster, ns.Name, TestManifests.Application("crdpipe-canary", repo.FileUrl, "canary", ns.Name, revision: "'v*'"));
        await CrdCluster.CreateAsync(cluster, ns.Name, TestManifests.Application("crdpipe-prod", repo.FileUrl, "prod", prodNs.Name, revision: "env/prod"));
        // A long pipeline interval and the object created after the start: it is run because the controller watches
        // Pipeline objects (and evaluates on app status changes), not because a periodic pass lists them.
        await using var controller = await CrdController.StartAsync(cluster, ns.Name, null, "--pipeline-interval", "00:10:00");
        await CrdCluster.CreateAsync(cluster, ns.Name, """
            apiVersion: gitops.dev/v1alpha1
            kind: Pipeline
            metadata: {name: crdpipe}
            spec:
              stages:
                - {name: canary, application: crdpipe-canary}
                - {name: prod, application: crdpipe-prod, gates: {approval: {required: true}}}
            """, "pipelines");

        var waiting = await Eventually.HoldsAsync(() => CrdCluster.GetAsync(cluster, ns.Name, "crdpipe", "pipelines"),
            o => (string?)o["status"]?["stages"]?[1]?["candidate"]?["phase"] == "Waiting" && OnlyApprovalPending(o), TimeSpan.FromSeconds(60),
            "the Pipeline's status shows v1.0.0 waiting for approval");
        var candidate = waiting["status"]!["stages"]![1]!["candidate"]!;
        Assert.Equal(v1, (string?)candidate["revision"]);
        Assert.Equal("v1.0.0", (string?)candidate["tag"]);
        Assert.Equal("Approval", (string?)candidate["gates"]!.AsArray().Last()!["kind"]);

        await controller.Pipelines.ApproveAsync(new ApprovalRequest { Name = "crdpipe", Stage = "prod" });

        var promoted = await Eventually.HoldsAsync(() => CrdCluster.GetAsync(cluster, ns.Name, "crdpipe", "pipelines"),
            o => (string?)o["status"]?["stages"]?[1]?["current"]?["tag"] == "v1.0.0", TimeSpan.FromSeconds(60),
            "the status says prod runs v1.0.0");
        Assert.Equal("Promoted", (string?)promoted["status"]!["stages"]![1]!["candidate"]!["phase"]);
        Assert.Equal("anonymous", (string?)promoted["status"]!["stages"]![1]!["candidate"]!["approvals"]![0]!["by"]);
        Assert.Equal(repo.GitRemote("rev-parse", "env/prod"), (string?)promoted["status"]!["stages"]![1]!["current"]!["commit"]);

        var events = await Eventually.HoldsAsync(
            async () => (await cluster.Client.CoreV1.ListNamespacedEventAsync(ns.Name, fieldSelector: "involvedObject.kind=Pipeline,involvedObject.name=crdpipe")).Items,
            items => items.Any(e => e.Reason == "Promoted"), TimeSpan.FromSeconds(30), "a Promoted event on the Pipeline");
        // Event timestamps have whole seconds: both may carry the same one.
        Assert.Equal(["ApprovalRequired", "Promoted"], events.Select(e => e.Reason).Order(StringComparer.Ordinal));
        Assert.Contains($"v1.0.0 ({v1[..7]}) promoted to prod in ", events.Single(e => e.Reason == "Promoted").Message, StringComparison.Ordinal);
        Assert.Equal((string?)waiting["metadata"]!["uid"], events[0].InvolvedObject.Uid);
    }

    // Waiting alone is not yet "waiting for a person": the canary's own gates may still be pending, and an approval
    // given then promotes without the candidate ever reaching ApprovalRequired.
    private static bool OnlyApprovalPending(JsonNode pipeline) =>
        pipeline["status"]?["stages"]?[1]?["candidate"]?["gates"] is JsonArray gates
        && gates.All(g => (string?)g!["kind"] == "Approval" || (string?)g!["state"] == "Passed");
}
