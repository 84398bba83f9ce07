using GitOps.NodeSimulator.Tests.Support;
using GitOps.Testing;

namespace GitOps.NodeSimulator.Tests.Cluster;

/// <summary>A simulator restarted on the same Nodes re-lists and carries on: running Pods stay running, Pods created
/// while it was away are bound and finish.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class RestartTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Restarted_simulator_picks_up_where_it_left_off()
    {
        await using var h = await SimulatorHarness.StartAsync(cluster, "sim-restart", o => o with { DeleteNodesOnExit = false });
        await h.Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web", replicas: 1), h.Ns);
        await h.EventuallyAsync(() => h.Client.AppsV1.ReadNamespacedDeploymentAsync("web", h.Ns),
            d => d.Status?.ReadyReplicas == 1, "the Deployment is ready");
        var nodes = h.Simulator!.NodeNames;

        await h.StopSimulatorAsync();
        await h.Client.BatchV1.CreateNamespacedJobAsync(Workloads.Job("later"), h.Ns);
        await h.EventuallyAsync(() => h.Client.CoreV1.ListNamespacedPodAsync(h.Ns, labelSelector: "job-name=later"),
            l => l.Items.Count == 1, "the Job's Pod exists while no simulator runs");
        await h.StartSimulatorAsync();

        var job = await h.EventuallyAsync(() => h.Client.BatchV1.ReadNamespacedJobAsync("later", h.Ns),
            j => j.Condition("Complete") is not null, "the Job created during the restart completes");
        Assert.Equal(1, job.Status.Succeeded);
        var web = await h.Client.AppsV1.ReadNamespacedDeploymentAsync("web", h.Ns);
        Assert.Equal(1, web.Status.ReadyReplicas);
        Assert.Equal(nodes, h.Simulator!.NodeNames);
    }
}
