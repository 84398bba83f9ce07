using GitOps.Engine.Tests.Support;
using GitOps.Testing;
using static GitOps.Engine.Tests.Support.Manifests;

namespace GitOps.Engine.Tests.Cluster;

/// <summary>Health follows the controller-manager's status: replicas 0 becomes Healthy; a Deployment whose
/// Pods never run (no kubelet here, as with an image that never pulls) is Progressing, then Degraded.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class HealthTransitionTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Deployment_with_zero_replicas_becomes_healthy()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "healthy");
        (await h.SyncAsync(null, Deployment("web", replicas: 0))).Succeeded();
        var compare = await Eventually.HoldsAsync(() => h.CompareAsync(null, Deployment("web", replicas: 0)),
            c => c.Health == HealthState.Healthy, TimeSpan.FromSeconds(30), "the Deployment becomes Healthy");
        Assert.Equal(HealthState.Healthy, compare.For("Deployment", "web").Health.State);
    }

    [Fact]
    public async Task Deployment_that_never_runs_is_progressing_then_degraded()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "degraded");
        var deployment = Deployment("web", replicas: 1, image: "registry.invalid/never:1", progressDeadlineSeconds: 5);
        var sync = await h.SyncAsync(null, deployment);
        sync.Succeeded();

        var progressing = await Eventually.HoldsAsync(() => h.CompareAsync(null, deployment),
            c => c.Health == HealthState.Progressing, TimeSpan.FromSeconds(20), "the rollout is in progress");
        Assert.Equal(HealthState.Progressing, progressing.For("Deployment", "web").Health.State);

        var degraded = await Eventually.HoldsAsync(() => h.CompareAsync(null, deployment),
            c => c.Health == HealthState.Degraded, TimeSpan.FromSeconds(60), "the progress deadline passes");
        Assert.Contains("progress deadline", degraded.For("Deployment", "web").Health.Message, StringComparison.Ordinal);
    }
}
