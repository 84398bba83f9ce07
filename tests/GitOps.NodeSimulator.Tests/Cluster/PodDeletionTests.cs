using System.Net;
using GitOps.NodeSimulator.Tests.Support;
using GitOps.Testing;

namespace GitOps.NodeSimulator.Tests.Cluster;

/// <summary>A deleted Pod on a simulated node is gone once its (simulated) containers stop, as with a kubelet;
/// without one it would stay Terminating for its grace period and longer.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class PodDeletionTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Deleted_running_pod_goes_away()
    {
        await using var h = await SimulatorHarness.StartAsync(cluster, "sim-del");
        var pod = Workloads.Pod("lonely");
        pod.Spec.TerminationGracePeriodSeconds = 600; // far beyond the deadline: only the simulator can remove it in time
        await h.Client.CoreV1.CreateNamespacedPodAsync(pod, h.Ns);
        await h.EventuallyAsync(() => h.Client.CoreV1.ReadNamespacedPodAsync("lonely", h.Ns),
            p => p.Status.Phase == "Running", "the Pod runs");

        await h.Client.CoreV1.DeleteNamespacedPodAsync("lonely", h.Ns);

        await h.EventuallyAsync(() => h.Client.CoreV1.ListNamespacedPodAsync(h.Ns, fieldSelector: "metadata.name=lonely"),
            l => l.Items.Count == 0, "the Pod is removed");
        var gone = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => h.Client.CoreV1.ReadNamespacedPodAsync("lonely", h.Ns));
        Assert.Equal(HttpStatusCode.NotFound, gone.Response.StatusCode);
    }
}
