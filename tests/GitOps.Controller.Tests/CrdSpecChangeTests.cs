using System.Text.Json.Nodes;
using GitOps.Testing;
using k8s;
using k8s.Models;

namespace GitOps.Controller.Tests;

/// <summary>CRD mode: an edit of an Application's spec arrives through the watch and is acted on.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class CrdSpecChangeTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Editing_the_spec_of_an_Application_object_is_applied()
    {
        await CrdCluster.InstallCrdAsync(cluster);
        await using var ns = await cluster.CreateNamespaceAsync("crdedit");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("two paths",
            ("one/a.yaml", TestManifests.ConfigMap("a", "1")),
            ("two/b.yaml", TestManifests.ConfigMap("b", "1")));
        repo.Push("main");
        await CrdCluster.CreateAsync(cluster, ns.Name, TestManifests.Application("edit", repo.FileUrl, "one", ns.Name));
        await using var controller = await CrdController.StartAsync(cluster, ns.Name);
        await CrdCluster.WaitForStatusAsync(cluster, ns.Name, "edit", s => (string?)s["sync"] == "Synced", "synced from path one");

        var patch = new JsonObject { ["spec"] = new JsonObject { ["source"] = new JsonObject { ["path"] = "two" } } };
        await cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), "gitops.dev", "v1alpha1", ns.Name, "applications", "edit");

        var status = await CrdCluster.WaitForStatusAsync(cluster, ns.Name, "edit",
            s => (string?)s["sync"] == "Synced" && s["resources"] is JsonArray r && r.Count == 1 && (string?)r[0]!["name"] == "b",
            "the edited path is synced and the old object pruned");
        Assert.Equal("Healthy", (string?)status["health"]);
        Assert.Equal("1", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("b", ns.Name)).Data["value"]);
    }
}
