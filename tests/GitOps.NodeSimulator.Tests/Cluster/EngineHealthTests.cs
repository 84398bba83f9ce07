using System.Text.Json.Nodes;
using GitOps.Engine;
using GitOps.NodeSimulator.Tests.Support;
using GitOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.NodeSimulator.Tests.Cluster;

/// <summary>Our engine's health assessment over simulated Pods: a real rollout is Healthy with replicas, an
/// unpullable image is Degraded once its progress deadline passes.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class EngineHealthTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Running_deployment_is_healthy_and_unpullable_one_is_degraded()
    {
        await using var h = await SimulatorHarness.StartAsync(cluster, "sim-health");
        await using var engine = new ClusterEngine(cluster.Client, TimeProvider.System, NullLogger<ClusterEngine>.Instance);
        var app = new AppTarget($"app-{h.Ns}", h.Ns);
        var good = ToJson(Workloads.Deployment("good", replicas: 2));
        var bad = ToJson(Workloads.Deployment("bad", replicas: 1, image: "registry.example.com/team/app:unpullable", progressDeadlineSeconds: 5));
        var desired = DesiredSet.FromSuccessfulRender([good, bad], "test");
        var sync = await engine.SyncAsync(app, desired, new SyncOptions(), CancellationToken.None);
        Assert.Equal(SyncOutcome.Succeeded, sync.Outcome);

        var result = await h.EventuallyAsync(() => engine.CompareAsync(app, desired, new ComparisonOptions(), CancellationToken.None),
            c => Health(c, "good") == HealthState.Healthy && Health(c, "bad") == HealthState.Degraded,
            "good is Healthy and bad is Degraded");
        Assert.Contains("progress deadline", result.Resources.Single(r => r.Key.Name == "bad").Health.Message, StringComparison.Ordinal);
        Assert.Equal(HealthState.Degraded, result.Health);
        var live = await h.Client.AppsV1.ReadNamespacedDeploymentAsync("good", h.Ns);
        Assert.Equal(2, live.Status.ReadyReplicas);
    }

    private static HealthState Health(ComparisonResult result, string name) =>
        result.Resources.Single(r => r.Key.Name == name).Health.State;

    private static JsonObject ToJson(object o) => (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(o))!;
}
