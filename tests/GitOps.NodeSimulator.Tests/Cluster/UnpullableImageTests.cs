using GitOps.NodeSimulator.Tests.Support;
using GitOps.Testing;

namespace GitOps.NodeSimulator.Tests.Cluster;

/// <summary>An image matching the unpullable rule never starts; the Deployment misses its progress deadline.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class UnpullableImageTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Unpullable_image_backs_off_and_the_deployment_exceeds_its_progress_deadline()
    {
        await using var h = await SimulatorHarness.StartAsync(cluster, "sim-pull");
        await h.Client.AppsV1.CreateNamespacedDeploymentAsync(
            Workloads.Deployment("web", replicas: 1, image: "nginx:unpullable", progressDeadlineSeconds: 5), h.Ns);

        var pods = await h.EventuallyAsync(() => h.Client.CoreV1.ListNamespacedPodAsync(h.Ns, labelSelector: "app=web"),
            l => l.Items.Any(p => p.Status.ContainerStatuses?.SingleOrDefault()?.State.Waiting?.Reason == "ImagePullBackOff"),
            "the Pod's container backs off pulling");
        var pod = pods.Items.Single();
        Assert.Equal("Pending", pod.Status.Phase);
        Assert.False(pod.Status.ContainerStatuses.Single().Ready);
        Assert.Equal("False", pod.Status.Conditions.Single(c => c.Type == "Ready").Status);

        var deployment = await h.EventuallyAsync(() => h.Client.AppsV1.ReadNamespacedDeploymentAsync("web", h.Ns),
            d => d.Condition("Progressing")?.Status == "False", "the progress deadline passes");
        Assert.Equal("ProgressDeadlineExceeded", deployment.Condition("Progressing")?.Reason);
        Assert.Null(deployment.Status.ReadyReplicas);
    }
}
