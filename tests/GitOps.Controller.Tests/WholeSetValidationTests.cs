using GitOps.Api.V1;
using GitOps.Testing;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>Nothing half-applied: a commit whose new objects include one the API server rejects writes nothing —
/// the whole desired set is validated by server-side dry runs (new objects included) before the first write.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class WholeSetValidationTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task A_commit_with_one_invalid_new_object_writes_nothing()
    {
        await using var ns = await cluster.CreateNamespaceAsync("whole");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("v1", ("app/base.yaml", TestManifests.ConfigMap("base", "v1")));
        repo.Push("main");
        await using var controller = await ControllerHarness.StartAsync(cluster,
            TestManifests.Application("whole", repo.FileUrl, "app", ns.Name));
        await controller.WaitForAsync("whole", a => a.SyncStatus == SyncStatus.Synced && a.History.Count == 1, "v1 is synced");

        // Many valid new objects (so some would be written before the invalid one's turn) and one the server
        // rejects (a data key that is not a valid config key).
        var files = Enumerable.Range(0, 20)
            .Select(i => ($"app/good-{i:00}.yaml", TestManifests.ConfigMap($"good-{i:00}", "v2")))
            .Append(("app/base.yaml", TestManifests.ConfigMap("base", "v2")))
            .Append(("app/zz-bad.yaml", """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: bad
                stringData:
                  "not a valid key!": x
                """))
            .ToArray();
        repo.CommitFiles("v2 with one invalid object", files);
        repo.Push("main");

        var app = await controller.WaitForAsync("whole", a => a.History.Count >= 2, "v2's sync is recorded");
        Assert.Equal("Failed", app.History[1].Result);
        Assert.Contains("nothing applied", app.History[1].Message, StringComparison.Ordinal);
        Assert.Contains("Secret", app.History[1].Message, StringComparison.Ordinal);
        var names = (await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(ns.Name)).Items.Select(c => c.Metadata.Name).ToList();
        Assert.DoesNotContain(names, n => n.StartsWith("good-", StringComparison.Ordinal));
        Assert.Equal("v1", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("base", ns.Name)).Data["value"]);
        Assert.Empty((await cluster.Client.CoreV1.ListNamespacedSecretAsync(ns.Name, fieldSelector: "metadata.name=bad")).Items);
    }
}
