using GitOps.NodeSimulator.Tests.Support;
using GitOps.Testing;

namespace GitOps.NodeSimulator.Tests.Cluster;

/// <summary>Bound and Ready Pods let kube-controller-manager report a real rollout: Available, all replicas ready.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class DeploymentTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Deployment_with_two_replicas_becomes_available()
    {
        await using var h = await SimulatorHarness.StartAsync(cluster, "sim-deploy");
        await h.Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web", replicas: 2), h.Ns);

        var deployment = await h.EventuallyAsync(() => h.Client.AppsV1.ReadNamespacedDeploymentAsync("web", h.Ns),
            d => d.Status?.ReadyReplicas == 2 && d.Status.AvailableReplicas == 2 && d.Condition("Available")?.Status == "True",
            "the Deployment has 2 ready, available replicas");
        Assert.Equal("NewReplicaSetAvailable", deployment.Condition("Progressing")?.Reason);

        var pods = await h.Client.CoreV1.ListNamespacedPodAsync(h.Ns, labelSelector: "app=web");
        Assert.Equal(2, pods.Items.Count);
        Assert.All(pods.Items, pod =>
        {
            Assert.Equal("Running", pod.Status.Phase);
            Assert.Contains(pod.Spec.NodeName, h.Simulator!.NodeNames);
            Assert.False(string.IsNullOrEmpty(pod.Status.PodIP));
            Assert.NotNull(pod.Status.StartTime);
            foreach (var type in new[] { "PodScheduled", "Initialized", "ContainersReady", "Ready" })
            {
                Assert.Equal("True", pod.Status.Conditions.Single(c => c.Type == type).Status);
            }

            var container = Assert.Single(pod.Status.ContainerStatuses);
            Assert.True(container.Ready);
            Assert.True(container.Started);
            Assert.NotNull(container.State.Running);
        });
    }
}
