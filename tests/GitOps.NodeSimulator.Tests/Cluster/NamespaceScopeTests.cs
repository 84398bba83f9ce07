using GitOps.NodeSimulator.Tests.Support;
using GitOps.Testing;

namespace GitOps.NodeSimulator.Tests.Cluster;

/// <summary>A simulator touches only the Pods of its namespaces: tests sharing the cluster keep their Pending Pods.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class NamespaceScopeTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Pods_outside_the_scope_stay_pending_and_unbound()
    {
        await using var other = await cluster.CreateNamespaceAsync("sim-other");
        await using var h = await SimulatorHarness.StartAsync(cluster, "sim-scope");
        await h.Client.CoreV1.CreateNamespacedPodAsync(Workloads.Pod("outside"), other.Name);
        await h.Client.CoreV1.CreateNamespacedPodAsync(Workloads.Pod("inside"), h.Ns);

        await h.EventuallyAsync(() => h.Client.CoreV1.ReadNamespacedPodAsync("inside", h.Ns),
            p => p.Status.Phase == "Running", "the Pod in scope runs");
        // Both Pods existed before the one in scope ran: had the simulator seen the other, it would have bound it.
        var outside = await h.Client.CoreV1.ReadNamespacedPodAsync("outside", other.Name);
        Assert.Null(outside.Spec.NodeName);
        Assert.Equal("Pending", outside.Status.Phase);
    }
}
