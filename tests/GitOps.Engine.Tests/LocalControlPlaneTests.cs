using GitOps.Testing;
using k8s;
using k8s.Models;

namespace GitOps.Engine.Tests;

/// <summary>The local control plane is real: server-side apply is served by kube-apiserver and the
/// controller-manager reconciles what we apply.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class LocalControlPlaneTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Server_side_applied_deployment_gets_replicaset_and_status_from_controller_manager()
    {
        await using var ns = await cluster.CreateNamespaceAsync("smoke");
        var body = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "smoke", "deployment.json"));

        var applied = await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch(body, V1Patch.PatchType.ApplyPatch), "web", ns.Name, fieldManager: "gitops-tests", force: true);
        Assert.Equal("web", applied.Metadata.Name);
        Assert.Contains(applied.Metadata.ManagedFields, f => f.Manager == "gitops-tests" && f.Operation == "Apply");

        var live = await Eventually.HoldsAsync(
            () => cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", ns.Name),
            d => d.Status?.ObservedGeneration == d.Metadata.Generation && d.Status?.Replicas == 2,
            TimeSpan.FromSeconds(30), "the controller-manager reports status for the Deployment");
        Assert.Equal(2, live.Status.UnavailableReplicas); // no kubelet: Pods stay Pending
        Assert.Contains(live.Status.Conditions, c => c.Type == "Progressing");

        var replicaSets = await cluster.Client.AppsV1.ListNamespacedReplicaSetAsync(ns.Name);
        var rs = Assert.Single(replicaSets.Items);
        Assert.Equal("Deployment", rs.Metadata.OwnerReferences.Single().Kind);
    }
}
