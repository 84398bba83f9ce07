using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Applications;
using GitOps.Controller.Applications;
using GitOps.Testing;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>The install set (manifests/) and the example applications: accepted by a real API server in a
/// server-side dry run, and the CRD schema describes exactly the spec the controller reads.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class InstallManifestsTests(LocalClusterFixture cluster)
{
    private static string Root => RepositoryLayout.Root;

    [Fact]
    public async Task Install_set_passes_a_server_side_dry_run()
    {
        var (built, rendered) = await CrdCluster.KubectlAsync(cluster, "kustomize", CrdCluster.ManifestsDirectory);
        Assert.True(built == 0, rendered);

        // Namespaced objects dry-run only into an existing namespace; the CRD goes in first, as a real install does.
        await EnsureNamespaceAsync("gitops-system");
        await CrdCluster.InstallCrdAsync(cluster);
        var (code, output) = await CrdCluster.KubectlAsync(cluster, "apply", "--server-side", "--dry-run=server",
            "--force-conflicts", "-k", CrdCluster.ManifestsDirectory);
        Assert.True(code == 0, output);
        foreach (var expected in new[]
                 {
                     "customresourcedefinition.apiextensions.k8s.io/applications.gitops.dev", "serviceaccount/gitops-controller",
                     "clusterrole.rbac.authorization.k8s.io/gitops-controller-read",
                     "clusterrole.rbac.authorization.k8s.io/gitops-controller-write",
                     "role.rbac.authorization.k8s.io/gitops-controller-leader-election", "secret/gitops-api-tokens",
                     "service/gitops-controller-grpc", "service/gitops-controller-http", "deployment.apps/gitops-controller",
                 })
        {
            Assert.Contains(expected, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Example_applications_in_both_forms_are_valid_and_identical()
    {
        var crForms = Directory.GetFiles(Path.Combine(Root, "examples", "applications"), "*.yaml")
            .SelectMany(f => SimpleYaml.ReadDocuments(File.ReadAllText(f), f)
                .Select(d => ApplicationDocuments.FromObject(d.Document, f)))
            .OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        var fileForm = ApplicationDocuments.LoadFile(Path.Combine(Root, "examples", "applications.yaml"))
            .OrderBy(a => a.Name, StringComparer.Ordinal).ToList();

        Assert.Equal(["echo-ip-dev", "helm-echo", "metallb", "rollout-nginx"], crForms.Select(a => a.Name));
        Assert.Equal(crForms.Select(Json), fileForm.Select(Json));
        Assert.All(crForms, a => Assert.Empty(ApplicationValidator.Validate(a)));
        Assert.All(crForms, a => Assert.True(Directory.Exists(Path.Combine(Root, a.Spec.Source.Path)), a.Spec.Source.Path));

        await EnsureNamespaceAsync("gitops-system");
        await CrdCluster.InstallCrdAsync(cluster);
        var (code, output) = await CrdCluster.KubectlAsync(cluster, "apply", "--server-side", "--dry-run=server",
            "-f", Path.Combine(Root, "examples", "applications"));
        Assert.True(code == 0, output);
    }

    [Fact]
    public void Crd_schema_describes_exactly_the_fields_of_ApplicationSpec()
    {
        var crd = SimpleYaml.ReadDocuments(File.ReadAllText(Path.Combine(CrdCluster.ManifestsDirectory, "crd.yaml")), "crd.yaml").Single().Document;
        var version = crd["spec"]!["versions"]!.AsArray().Single()!;
        Assert.Equal("v1alpha1", (string?)version["name"]);
        Assert.Equal(["gapp"], crd["spec"]!["names"]!["shortNames"]!.AsArray().Select(n => (string?)n));
        Assert.NotNull(version["subresources"]?["status"]);
        Assert.Equal(["Sync", "Health", "Revision", "Age"],
            version["additionalPrinterColumns"]!.AsArray().Select(c => (string?)c!["name"]));

        var schemaSpec = version["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!.AsObject();
        var modelSpec = JsonSerializer.SerializeToNode(FullSpec(), ApplicationDocuments.JsonOptions)!.AsObject();
        modelSpec.Remove("automated"); // a computed, read-only property (syncPolicy.automated is the field)
        Assert.Equal(Paths(modelSpec, "spec").Order(StringComparer.Ordinal), SchemaPaths(schemaSpec, "spec").Order(StringComparer.Ordinal));
    }

    private async Task EnsureNamespaceAsync(string name)
    {
        try
        {
            await cluster.Client.CoreV1.CreateNamespaceAsync(new k8s.Models.V1Namespace { Metadata = new k8s.Models.V1ObjectMeta { Name = name } });
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
        }
    }

    private static string Json(Application app) => JsonSerializer.Serialize(app, ApplicationDocuments.JsonOptions);

    /// <summary>A spec with every optional part present, so its JSON shows every field the controller reads.</summary>
    private static ApplicationSpec FullSpec() => new()
    {
        Source = new SourceSpec
        {
            RepoUrl = "r", Chart = "c", Ref = "f", Directory = new DirectorySpec(true, "i", "e"),
            Kustomize = new KustomizeSpec { NamePrefix = "p", NameSuffix = "s", Namespace = "n", Images = ["x"], CommonLabels = new Dictionary<string, string> { ["k"] = "v" } },
            Helm = new HelmSpec { ValueFiles = ["v"], Values = "a: 1", Parameters = [new HelmParameter("n", "v", true)], ReleaseName = "r" },
        },
        Sources = [new SourceSpec
        {
            RepoUrl = "r", Chart = "c", Ref = "f",
            Helm = new HelmSpec { ValueFiles = ["v"], Values = "a: 1", Parameters = [new HelmParameter("n", "v", true)], ReleaseName = "r" },
        }],
        Destination = new DestinationSpec { Namespace = "d" },
        SyncPolicy = new SyncPolicySpec { Automated = new AutomatedSpec(), SyncOptions = ["o"], Retry = new RetrySpec(1, new BackoffSpec()) },
        IgnoreDifferences = [new IgnoreDifferenceSpec { Group = "g", Kind = "k", Name = "n", Namespace = "n", JsonPointers = ["/a"], ManagedFieldsManagers = ["m"] }],
        Suspended = true,
    };

    private static IEnumerable<string> Paths(JsonNode? node, string prefix) => node switch
    {
        JsonObject o when prefix.EndsWith(".commonLabels", StringComparison.Ordinal) => [prefix],
        JsonObject o => o.SelectMany(p => Paths(p.Value, $"{prefix}.{p.Key}")).Prepend(prefix),
        JsonArray { Count: > 0 } a => Paths(a[0], prefix + "[]"),
        JsonArray => [prefix + "[]"],
        _ => [prefix],
    };

    private static IEnumerable<string> SchemaPaths(JsonObject schema, string prefix) => (string?)schema["type"] switch
    {
        "object" when schema["properties"] is JsonObject props =>
            props.SelectMany(p => SchemaPaths(p.Value!.AsObject(), $"{prefix}.{p.Key}")).Prepend(prefix),
        "array" when schema["items"] is JsonObject { } items && (string?)items["type"] == "object" => SchemaPaths(items, prefix + "[]"),
        "array" => [prefix + "[]"],
        _ => [prefix],
    };
}
