using System.Net;
using GitOps.NodeSimulator.Tests.Support;
using GitOps.Testing;

namespace GitOps.NodeSimulator.Tests.Cluster;

/// <summary>The simulated Node is Ready, heartbeats through its Lease, and is removed when the simulator stops.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class NodeRegistrationTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Node_is_ready_with_a_lease_and_deleted_on_stop()
    {
        await using var h = await SimulatorHarness.StartAsync(cluster, "sim-node",
            o => o with { NodeCount = 2, HeartbeatInterval = TimeSpan.FromSeconds(1) });
        var names = h.Simulator!.NodeNames;
        Assert.Equal(2, names.Count);

        foreach (var name in names)
        {
            var node = await h.Client.CoreV1.ReadNodeAsync(name);
            Assert.Equal("True", node.Status.Conditions.Single(c => c.Type == "Ready").Status);
            Assert.Equal("110", node.Status.Allocatable["pods"].ToString());
            Assert.Null(node.Spec.Taints);
            var first = await h.Client.CoordinationV1.ReadNamespacedLeaseAsync(name, "kube-node-lease");
            await h.EventuallyAsync(() => h.Client.CoordinationV1.ReadNamespacedLeaseAsync(name, "kube-node-lease"),
                l => l.Spec.RenewTime > first.Spec.RenewTime, "the lease is renewed");
        }

        await h.StopSimulatorAsync();
        foreach (var name in names)
        {
            var gone = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => h.Client.CoreV1.ReadNodeAsync(name));
            Assert.Equal(HttpStatusCode.NotFound, gone.Response.StatusCode);
        }
    }
}
