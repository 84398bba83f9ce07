using GitOps.Api.V1;
using GitOps.Testing;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>A live edit of a managed object is reverted within seconds when self-heal is on.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class SelfHealTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Live_edit_is_restored_from_git()
    {
        await using var ns = await cluster.CreateNamespaceAsync("heal");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("cm", ("app/a.yaml", TestManifests.ConfigMap("a", "from-git")));
        repo.Push("main");
        // A long interval: only the drift watch can bring the object back in time.
        await using var controller = await ControllerHarness.StartAsync(cluster,
            TestManifests.Application("heal", repo.FileUrl, "app", ns.Name), interval: TimeSpan.FromMinutes(10));
        await controller.WaitForAsync("heal", a => a.SyncStatus == SyncStatus.Synced, "synced");

        await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new k8s.Models.V1Patch("""{"data":{"value":"edited-live"}}""", k8s.Models.V1Patch.PatchType.MergePatch), "a", ns.Name);

        await Eventually.HoldsAsync(() => cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("a", ns.Name),
            cm => cm.Data["value"] == "from-git", TimeSpan.FromSeconds(20), "self-heal restores the value from git");
    }
}
