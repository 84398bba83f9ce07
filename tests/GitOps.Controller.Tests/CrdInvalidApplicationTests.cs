using System.Text.Json.Nodes;
using GitOps.Testing;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>CRD mode and bad input: an invalid Application gets a clear InvalidSpec condition and a Warning
/// event, nothing of it is applied, other applications keep syncing, and deleting an object stops managing it.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class CrdInvalidApplicationTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Invalid_application_gets_an_InvalidSpec_condition_and_others_still_sync()
    {
        await CrdCluster.InstallCrdAsync(cluster);
        await using var ns = await cluster.CreateNamespaceAsync("crdbad");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("config", ("app/a.yaml", TestManifests.ConfigMap("a", "1")));
        repo.Push("main");
        await CrdCluster.CreateAsync(cluster, ns.Name, TestManifests.Application("bad", repo.FileUrl, "../outside", ns.Name));
        await CrdCluster.CreateAsync(cluster, ns.Name, TestManifests.Application("good", repo.FileUrl, "app", ns.Name));
        await using var controller = await CrdController.StartAsync(cluster, ns.Name);

        var bad = await CrdCluster.WaitForStatusAsync(cluster, ns.Name, "bad",
            s => s["conditions"] is JsonArray c && c.Any(x => (string?)x?["type"] == "InvalidSpec"),
            "the invalid application has an InvalidSpec condition");
        var message = (string?)bad["conditions"]!.AsArray().First(x => (string?)x?["type"] == "InvalidSpec")!["message"];
        Assert.Contains("spec.source.path '../outside'", message, StringComparison.Ordinal);
        Assert.Equal("Unknown", (string?)bad["sync"]);
        Assert.True(bad["history"] is not JsonArray { Count: > 0 }, "nothing was synced for the invalid application");

        await CrdCluster.WaitForStatusAsync(cluster, ns.Name, "good", s => (string?)s["sync"] == "Synced",
            "the valid application in the same namespace still syncs");
        var events = await Eventually.HoldsAsync(() => CrdCluster.EventsAsync(cluster, ns.Name, "bad"),
            e => e.Any(x => x.Reason == "InvalidSpec"), TimeSpan.FromSeconds(20), "an InvalidSpec event is recorded");
        Assert.Equal("Warning", events.First(e => e.Reason == "InvalidSpec").Type);

        // Deleting the object stops managing the app; its objects stay (nothing is pruned by a deletion).
        await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync("gitops.dev", "v1alpha1", ns.Name, "applications", "good");
        await Eventually.HoldsAsync(async () => (await controller.Client.ListAsync(new GitOps.Api.V1.ListRequest())).Applications,
            apps => apps.All(a => a.Name != "good"), TimeSpan.FromSeconds(20), "the deleted application is no longer listed");
        Assert.NotNull(await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("a", ns.Name));
    }
}
