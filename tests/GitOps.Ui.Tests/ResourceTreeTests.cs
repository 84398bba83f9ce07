using System.Net;
using System.Text.Json.Nodes;
using GitOps.Testing;

namespace GitOps.Ui.Tests;

/// <summary>The resource tree: the app's objects and what they own, read from the real cluster (the local
/// kube-controller-manager makes the ReplicaSet and the Pods, which stay Pending: there is no scheduler), and any
/// node as live YAML.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class ResourceTreeTests(LocalClusterFixture cluster)
{
    public const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
                - name: web
                  image: registry.invalid/web:1
        """;

    [Fact]
    public async Task DeploymentOwnsReplicaSetOwnsPods()
    {
        await using var scenario = await UiScenario.StartAsync(cluster, "ui-tree", count: 2,
            seed: repo =>
            {
                repo.WriteFile("ui-tree-1/deployment.yaml", Deployment);
                repo.WriteFile("ui-tree-1/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: credentials\nstringData:\n  password: s3cr3t-value\n");
            });
        var (app, other) = (scenario.Apps[0], scenario.Apps[1]);
        using var http = new HttpClient { BaseAddress = new Uri(scenario.Controller.HttpUrl) };

        var nodes = await Eventually.HoldsAsync(async () =>
            {
                var (status, body) = await JsonApiAuthTests.SendAsync(http, HttpMethod.Get, $"/api/v1/applications/{app}/resource-tree", UiScenario.ReadOnlyToken);
                Assert.Equal(HttpStatusCode.OK, status);
                return body["nodes"]?.AsArray().Select(n => n!.AsObject()).ToList() ?? [];
            },
            n => n.Count(x => (string?)x["kind"] == "Pod") == 2, TimeSpan.FromSeconds(90), "the Deployment's two Pods are in the tree");

        var deployment = Assert.Single(nodes, n => (string?)n["kind"] == "Deployment");
        Assert.True((bool?)deployment["tracked"]);
        Assert.Equal("", (string?)deployment["parentKey"] ?? "");
        var configMap = Assert.Single(nodes, n => (string?)n["kind"] == "ConfigMap");
        Assert.True((bool?)configMap["tracked"]);
        var replicaSet = Assert.Single(nodes, n => (string?)n["kind"] == "ReplicaSet");
        Assert.False((bool?)replicaSet["tracked"] ?? false);
        Assert.Equal((string?)deployment["key"], (string?)replicaSet["parentKey"]);
        foreach (var pod in nodes.Where(n => (string?)n["kind"] == "Pod"))
        {
            Assert.Equal((string?)replicaSet["key"], (string?)pod["parentKey"]);
            Assert.StartsWith("web-", (string?)pod["name"], StringComparison.Ordinal);
            Assert.Equal("HEALTH_STATUS_PROGRESSING", (string?)pod["health"]); // Pending: no scheduler here
        }

        // Any node of the tree as live YAML: a Pod as the cluster has it (owner included, managedFields left out); a
        // Secret with its values masked; nothing outside the app's tree.
        var podKey = (string)nodes.First(n => (string?)n["kind"] == "Pod")["key"]!;
        var (liveStatus, live) = await JsonApiAuthTests.SendAsync(http, HttpMethod.Get,
            $"/api/v1/applications/{app}/live-object?key={Uri.EscapeDataString(podKey)}", UiScenario.ReadOnlyToken);
        Assert.Equal(HttpStatusCode.OK, liveStatus);
        var podYaml = (string)live["yaml"]!;
        Assert.Contains("kind: Pod", podYaml, StringComparison.Ordinal);
        Assert.Contains("ownerReferences:", podYaml, StringComparison.Ordinal);
        Assert.DoesNotContain("managedFields", podYaml, StringComparison.Ordinal);
        var secretKey = (string)nodes.Single(n => (string?)n["kind"] == "Secret")["key"]!;
        (liveStatus, live) = await JsonApiAuthTests.SendAsync(http, HttpMethod.Get,
            $"/api/v1/applications/{app}/live-object?key={Uri.EscapeDataString(secretKey)}", UiScenario.ReadOnlyToken);
        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Contains("masked value", (string)live["yaml"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", (string)live["yaml"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String("s3cr3t-value"u8), (string)live["yaml"]!, StringComparison.Ordinal);
        var otherConfigMap = $"/ConfigMap/{(string?)configMap["namespace"]}x/settings";
        (liveStatus, _) = await JsonApiAuthTests.SendAsync(http, HttpMethod.Get,
            $"/api/v1/applications/{app}/live-object?key={Uri.EscapeDataString(otherConfigMap)}", UiScenario.ReadOnlyToken);
        Assert.Equal(HttpStatusCode.NotFound, liveStatus);

        // The other app's tree has its ConfigMap only; a token scoped to the first app cannot ask for it.
        var (otherStatus, otherBody) = await JsonApiAuthTests.SendAsync(http, HttpMethod.Get, $"/api/v1/applications/{other}/resource-tree", UiScenario.AdminToken);
        Assert.Equal(HttpStatusCode.OK, otherStatus);
        Assert.All(otherBody["nodes"]!.AsArray(), n => Assert.Equal("ConfigMap", (string?)n!["kind"]));
        var (scoped, _) = await JsonApiAuthTests.SendAsync(http, HttpMethod.Get, $"/api/v1/applications/{other}/resource-tree", UiScenario.ScopedToken);
        Assert.Equal(HttpStatusCode.NotFound, scoped);
    }
}
