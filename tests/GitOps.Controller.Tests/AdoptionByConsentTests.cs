using GitOps.Api.V1;
using GitOps.Engine;
using GitOps.Testing;
using k8s;
using k8s.Models;

namespace GitOps.Controller.Tests;

/// <summary>Objects that exist without our tracking mark — in the destination namespace or another one — are
/// reported (AdoptionRequired) and the sync writes nothing: they are not applied over, not marked, and not pruned
/// when they leave git. The annotation gitops.dev/sync-options: AdoptExisting=true on a manifest adopts that one
/// object; once adopted it is ours, so it is pruned when it leaves git.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class AdoptionByConsentTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Unmarked_objects_are_reported_and_left_alone_until_the_manifest_consents()
    {
        await using var dest = await cluster.CreateNamespaceAsync("adopt-a");
        await using var other = await cluster.CreateNamespaceAsync("adopt-b");
        foreach (var (name, ns) in new[] { ("local", dest.Name), ("remote", other.Name) })
        {
            await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
                Data = new Dictionary<string, string> { ["value"] = "theirs" },
            }, ns);
        }

        using var repo = TempGitRepository.Create();
        repo.CommitFiles("take both", ("app/local.yaml", TestManifests.ConfigMap("local", "ours")),
            ("app/remote.yaml", TestManifests.ConfigMap("remote", "ours").Replace("name: remote",
                $"name: remote\n  namespace: {other.Name}", StringComparison.Ordinal)));
        repo.Push("main");
        await using var controller = await ControllerHarness.StartAsync(cluster,
            TestManifests.Application("adopter", repo.FileUrl, "app", dest.Name)
                .Replace("spec:\n", "spec:\n  project: two-namespaces\n", StringComparison.Ordinal)
            + ProjectFile("two-namespaces", dest.Name, other.Name));

        var app = await controller.WaitForAsync("adopter",
            a => a.Conditions.Any(c => c.Type == "AdoptionRequired") && a.History.Count > 0,
            "the unmarked objects are reported and the sync refused");
        var message = app.Conditions.Single(c => c.Type == "AdoptionRequired").Message;
        Assert.Contains($"ConfigMap/{dest.Name}/local", message, StringComparison.Ordinal);
        Assert.Contains($"ConfigMap/{other.Name}/remote", message, StringComparison.Ordinal);
        Assert.Equal(SyncStatus.OutOfSync, app.SyncStatus);
        await AssertTheirsAsync("local", dest.Name);
        await AssertTheirsAsync("remote", other.Name);

        // Consent on one manifest; the other leaves git (it was never ours: it must not be pruned).
        repo.Git("rm", "--quiet", "app/remote.yaml");
        repo.CommitFiles("adopt local", ("app/local.yaml", TestManifests.ConfigMap("local", "ours").Replace("name: local",
            $"name: local\n  annotations:\n    {Marks.SyncOptions}: AdoptExisting=true", StringComparison.Ordinal)));
        repo.Push("main");
        await Eventually.HoldsAsync(() => cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("local", dest.Name),
            cm => cm.Data["value"] == "ours" && cm.Metadata.Annotations?.ContainsKey(Marks.TrackingId) == true,
            TimeSpan.FromSeconds(45), "the consenting manifest adopts its object");
        await controller.WaitForAsync("adopter", a => a.SyncStatus == SyncStatus.Synced
            && a.Conditions.All(c => c.Type != "AdoptionRequired"), "the app is synced, nothing left to report");
        await AssertTheirsAsync("remote", other.Name);

        // Once adopted, the object is ours: it is pruned when it leaves git.
        repo.Git("rm", "--quiet", "app/local.yaml");
        repo.CommitFiles("replace local", ("app/keep.yaml", TestManifests.ConfigMap("keep", "v1")));
        repo.Push("main");
        await Eventually.HoldsAsync(async () => (await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(dest.Name)).Items,
            items => items.All(cm => cm.Metadata.Name != "local") && items.Any(cm => cm.Metadata.Name == "keep"),
            TimeSpan.FromSeconds(45), "the adopted object is pruned once it leaves git");
        await AssertTheirsAsync("remote", other.Name);
    }

    /// <summary>A project that lets the app write into a second namespace (so this test is about adoption only).</summary>
    private static string ProjectFile(string name, params string[] namespaces) => $"""
        ---
        apiVersion: gitops.dev/v1alpha1
        kind: Project
        metadata:
          name: {name}
        spec:
          destinations: [{string.Join(", ", namespaces.Select(n => $"{{namespace: {n}}}"))}]

        """;

    private async Task AssertTheirsAsync(string name, string ns)
    {
        var cm = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync(name, ns);
        Assert.Equal("theirs", cm.Data["value"]);
        Assert.False(cm.Metadata.Annotations?.ContainsKey(Marks.TrackingId) ?? false, $"{ns}/{name} was marked");
        Assert.False(cm.Metadata.Labels?.ContainsKey(Marks.AppLabel) ?? false, $"{ns}/{name} was labelled");
        Assert.DoesNotContain(cm.Metadata.ManagedFields ?? [], f => f.Manager == EngineAssembly.FieldManager);
    }
}
