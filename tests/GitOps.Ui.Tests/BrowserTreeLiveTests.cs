using GitOps.Testing;
using k8s;

namespace GitOps.Ui.Tests;

/// <summary>The resource tree of an open app follows its Pods without a reload: a Pod's own status change (one that
/// moves nothing else, so only the tree's watch of Pods can show it), a deleted Pod replaced by its ReplicaSet's new
/// one, and Pods the node simulator starts turning Healthy, each shown as it happens.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class BrowserTreeLiveTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task TheOpenTreeFollowsPodChanges()
    {
        // No periodic reconcile after the first: the tree must follow the Pods by itself, not by the app's heartbeat.
        await using var scenario = await UiScenario.StartAsync(cluster, "ui-pods", count: 1, extraArgs: ["--interval", "01:00:00"],
            // An image the simulator starts (registry.invalid never pulls: docs/node-simulator.md); nothing is pulled here.
            seed: repo => repo.WriteFile("ui-pods-1/deployment.yaml",
                ResourceTreeTests.Deployment.Replace("registry.invalid/web:1", "nginx:1.27", StringComparison.Ordinal)));
        var ns = scenario.Namespaces[0];
        NodeSimulatorProcess? simulator = null;
        try
        {
            await BrowserRun.RunAsync(scenario, "pods", async (verb, arg) =>
            {
                switch (verb)
                {
                    case "mark-running":
                        // What a kubelet reports first; the Pod is still not Ready, so neither its ReplicaSet's nor its
                        // Deployment's status moves: only the Pod itself changes.
                        await cluster.Client.CoreV1.PatchNamespacedPodStatusAsync(
                            new k8s.Models.V1Patch("""{"status":{"phase":"Running"}}""", k8s.Models.V1Patch.PatchType.MergePatch), arg, ns);
                        return "patched";
                    case "delete-pod":
                        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(arg, ns);
                        return "deleted";
                    case "run-pods":
                        simulator = await NodeSimulatorProcess.StartAsync(cluster, ns);
                        return "running";
                    default:
                        throw new InvalidOperationException($"unknown request {verb}");
                }
            });
        }
        finally
        {
            if (simulator is not null)
            {
                await simulator.DisposeAsync();
            }
        }
    }
}
