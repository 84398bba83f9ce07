using GitOps.Api.V1;
using GitOps.Testing;
using Grpc.Core;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>Projects bound what an app may use. The default project: only the app's destination namespace and no
/// cluster-scoped kinds; an object outside is a ProjectViolation before anything is applied (the allowed objects
/// of the same commit are not applied either). A declared project widens the namespaces, refuses repositories it
/// does not list before anything is fetched, and scopes API tokens.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class ProjectBoundaryTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task The_default_project_refuses_other_namespaces_and_cluster_scoped_kinds_before_anything_is_applied()
    {
        await using var dest = await cluster.CreateNamespaceAsync("proj-a");
        await using var other = await cluster.CreateNamespaceAsync("proj-b");
        var clusterRole = "gitops-test-" + dest.Name;
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("escape", ("app/ok.yaml", TestManifests.ConfigMap("ok", "v1")),
            ("app/elsewhere.yaml", TestManifests.ConfigMap("elsewhere", "v1").Replace("name: elsewhere",
                $"name: elsewhere\n  namespace: {other.Name}", StringComparison.Ordinal)),
            ("app/role.yaml", $"""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: {clusterRole}
                rules: []
                """));
        repo.Push("main");
        await using var controller = await ControllerHarness.StartAsync(cluster,
            TestManifests.Application("bounded", repo.FileUrl, "app", dest.Name));

        var app = await controller.WaitForAsync("bounded",
            a => a.Conditions.Any(c => c.Type == "ProjectViolation") && a.History.Count > 0, "the violation is reported");
        var message = app.Conditions.Single(c => c.Type == "ProjectViolation").Message;
        Assert.Contains($"ConfigMap/{other.Name}/elsewhere", message, StringComparison.Ordinal);
        Assert.Contains($"ClusterRole/{clusterRole}", message, StringComparison.Ordinal);
        Assert.Contains("project 'default'", message, StringComparison.Ordinal);
        Assert.Equal("Failed", app.History[^1].Result);
        Assert.Empty((await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(other.Name, fieldSelector: "metadata.name=elsewhere")).Items);
        Assert.Empty((await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(dest.Name, fieldSelector: "metadata.name=ok")).Items);
        Assert.Empty((await cluster.Client.RbacAuthorizationV1.ListClusterRoleAsync(fieldSelector: $"metadata.name={clusterRole}")).Items);
    }

    [Fact]
    public async Task A_declared_project_widens_namespaces_refuses_unlisted_repositories_and_scopes_tokens()
    {
        await using var dest = await cluster.CreateNamespaceAsync("proj-c");
        await using var other = await cluster.CreateNamespaceAsync("proj-d");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("two namespaces", ("app/here.yaml", TestManifests.ConfigMap("here", "v1")),
            ("app/there.yaml", TestManifests.ConfigMap("there", "v1").Replace("name: there",
                $"name: there\n  namespace: {other.Name}", StringComparison.Ordinal)));
        repo.Push("main");
        var apps = $"""
            apiVersion: gitops.dev/v1alpha1
            kind: Project
            metadata:
              name: team
            spec:
              sourceRepos: ["file:///*"]
              destinations: [{"{"}namespace: "{dest.Name}"{"}"}, {"{"}namespace: "{other.Name[..^2]}*"{"}"}]
            ---
            apiVersion: gitops.dev/v1alpha1
            kind: Project
            metadata:
              name: strict
            spec:
              sourceRepos: ["https://git.example.com/*"]
            ---

            """
            + TestManifests.Application("team-app", repo.FileUrl, "app", dest.Name).Replace("spec:\n", "spec:\n  project: team\n", StringComparison.Ordinal)
            + "---\n" + TestManifests.Application("strict-app", repo.FileUrl, "app", dest.Name, automated: false)
                .Replace("spec:\n", "spec:\n  project: strict\n", StringComparison.Ordinal);
        const string Tokens = """
            tokens:
              - name: admin
                token: admin-token-proj
                role: admin
              - name: team-viewer
                token: team-token-proj
                role: read-only
                projects: [team]
            """;
        await using var controller = await ControllerHarness.StartAsync(cluster, apps, Tokens);
        var admin = new Metadata { { "authorization", "Bearer admin-token-proj" } };

        await Eventually.HoldsAsync(() => controller.Client.GetAsync(new GetRequest { Name = "team-app" }, admin).ResponseAsync,
            a => a.SyncStatus == SyncStatus.Synced, TimeSpan.FromSeconds(45), "the team app syncs into both namespaces");
        Assert.Single((await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(other.Name, fieldSelector: "metadata.name=there")).Items);

        var strict = await Eventually.HoldsAsync(() => controller.Client.GetAsync(new GetRequest { Name = "strict-app" }, admin).ResponseAsync,
            a => a.Conditions.Any(c => c.Type == "ProjectViolation"), TimeSpan.FromSeconds(45), "the unlisted repository is refused");
        Assert.Contains($"repository {repo.FileUrl} is not a source of project 'strict'",
            strict.Conditions.Single(c => c.Type == "ProjectViolation").Message, StringComparison.Ordinal);
        Assert.Null(strict.Revision); // refused before anything was fetched
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition,
            () => controller.Client.SyncAsync(new SyncRequest { Name = "strict-app" }, admin).ResponseAsync);

        var scoped = new Metadata { { "authorization", "Bearer team-token-proj" } };
        Assert.Equal(["team-app"], (await controller.Client.ListAsync(new ListRequest(), scoped)).Applications.Select(a => a.Name));
        await RpcAssert.ThrowsAsync(StatusCode.NotFound,
            () => controller.Client.GetAsync(new GetRequest { Name = "strict-app" }, scoped).ResponseAsync);
    }
}
