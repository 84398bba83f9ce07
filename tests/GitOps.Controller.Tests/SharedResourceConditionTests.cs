using GitOps.Api.V1;
using GitOps.Engine;
using GitOps.Testing;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>Two apps that render the same object: whichever applied it first keeps it; the other gets a
/// SharedResource condition naming the owner and never touches the object.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class SharedResourceConditionTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task The_second_app_reports_the_object_as_shared_and_leaves_it_alone()
    {
        await using var ns = await cluster.CreateNamespaceAsync("shared");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("both", ("one/cm.yaml", TestManifests.ConfigMap("shared", "one")),
            ("two/cm.yaml", TestManifests.ConfigMap("shared", "two")));
        repo.Push("main");
        await using var controller = await ControllerHarness.StartAsync(cluster,
            TestManifests.Application("share-one", repo.FileUrl, "one", ns.Name) + "---\n"
            + TestManifests.Application("share-two", repo.FileUrl, "two", ns.Name));

        var loser = await Task.WhenAny(
            controller.WaitForAsync("share-one", HasShared, "share-one reports a shared resource"),
            controller.WaitForAsync("share-two", HasShared, "share-two reports a shared resource"));
        var app = await loser;
        var owner = app.Name == "share-one" ? "share-two" : "share-one";

        var condition = app.Conditions.Single(c => c.Type == "SharedResource");
        Assert.Contains("ConfigMap", condition.Message, StringComparison.Ordinal);
        Assert.Contains($"'{owner}'", condition.Message, StringComparison.Ordinal);
        Assert.Equal(SyncStatus.OutOfSync, app.SyncStatus);

        var cm = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("shared", ns.Name);
        Assert.StartsWith($"{owner}:", cm.Metadata.Annotations[Marks.TrackingId], StringComparison.Ordinal);
        Assert.Equal(owner == "share-one" ? "one" : "two", cm.Data["value"]);
        var ownerStatus = await controller.WaitForAsync(owner, a => a.SyncStatus == SyncStatus.Synced, "the owner is synced");
        Assert.DoesNotContain(ownerStatus.Conditions, c => c.Type == "SharedResource");
    }

    private static bool HasShared(Application app) => app.Conditions.Any(c => c.Type == "SharedResource");
}
