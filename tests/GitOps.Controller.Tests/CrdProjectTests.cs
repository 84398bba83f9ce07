using GitOps.Applications;
using System.Text.Json.Nodes;
using GitOps.Controller.Applications;
using GitOps.Testing;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>CRD mode reads Project objects: an Application in a project that does not list its repository gets a
/// ProjectViolation and nothing is applied; when the Project is changed to allow it, the app syncs.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class CrdProjectTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task A_project_object_bounds_its_applications_and_a_change_to_it_applies()
    {
        await CrdCluster.InstallCrdAsync(cluster);
        await using var ns = await cluster.CreateNamespaceAsync("crdproj");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("config", ("app/a.yaml", TestManifests.ConfigMap("a", "1")));
        repo.Push("main");
        var project = JsonNode.Parse("""
            {"apiVersion": "gitops.dev/v1alpha1", "kind": "Project", "metadata": {"name": "team"},
             "spec": {"sourceRepos": ["https://git.example.com/*"]}}
            """)!.AsObject();
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(project, ApplicationDocuments.Group,
            ApplicationDocuments.Version, ns.Name, Project.Plural);
        await CrdCluster.CreateAsync(cluster, ns.Name, TestManifests.Application("inproject", repo.FileUrl, "app", ns.Name)
            .Replace("spec:\n", "spec:\n  project: team\n", StringComparison.Ordinal));
        await using var controller = await CrdController.StartAsync(cluster, ns.Name);

        var refused = await CrdCluster.WaitForStatusAsync(cluster, ns.Name, "inproject",
            // A first pass may run before the Project list arrives ("project 'team' is not declared"); wait for the verdict.
            s => s["conditions"] is JsonArray c && c.Any(x => (string?)x?["type"] == "ProjectViolation"
                && ((string?)x?["message"])?.Contains("is not a source of project", StringComparison.Ordinal) == true),
            "the repository the project does not list is refused");
        Assert.Contains("is not a source of project 'team'", (string?)refused["conditions"]!.AsArray()
            .First(x => (string?)x?["type"] == "ProjectViolation")!["message"], StringComparison.Ordinal);
        Assert.Empty((await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(ns.Name, fieldSelector: "metadata.name=a")).Items);

        project["spec"]!["sourceRepos"] = new JsonArray("file:///*");
        await cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new k8s.Models.V1Patch(project.ToJsonString(), k8s.Models.V1Patch.PatchType.MergePatch),
            ApplicationDocuments.Group, ApplicationDocuments.Version, ns.Name, Project.Plural, "team");
        await CrdCluster.WaitForStatusAsync(cluster, ns.Name, "inproject", s => (string?)s["sync"] == "Synced",
            "the widened project lets the app sync");
    }
}
