using System.Text.Json.Nodes;
using GitOps.Engine.Tests.Support;
using GitOps.Testing;
using static GitOps.Engine.Tests.Support.Manifests;

namespace GitOps.Engine.Tests.Cluster;

/// <summary>A set that brings a Namespace which does not exist yet: nothing in it can exist either, so its objects are
/// neither dry-run nor looked up before they are written (the server would answer NotFound), while objects in existing
/// namespaces still are.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class NewNamespaceTests(LocalClusterFixture cluster)
{
    private const int InNewNamespace = 10;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Objects_in_a_namespace_the_sync_creates_cost_their_writes_only(bool validate)
    {
        await using var h = await EngineHarness.StartAsync(cluster, "newns");
        var other = $"{h.Ns}-new";
        var set = new List<JsonObject> { Parse($$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{other}}}"}}"""), ConfigMap("here") };
        for (var i = 0; i < InNewNamespace; i++)
        {
            var cm = ConfigMap($"there-{i}");
            cm["metadata"]!["namespace"] = other;
            set.Add(cm);
        }

        try
        {
            await h.CompareAsync(); // starts the watch cache, whose list and watch calls are not the sync's
            var before = h.Engine.ApiCalls;
            var result = await h.SyncAsync(new SyncOptions { DryRunNewObjects = validate, WaitTimeout = TimeSpan.FromSeconds(60) }, [.. set]);
            var after = h.Engine.ApiCalls;

            result.Succeeded();
            Assert.All(result.Resources, r => Assert.Equal(ResourceAction.Created, r.Action));
            Assert.Equal(set.Count, after.Writes - before.Writes);
            // The Namespace and the ConfigMap in the existing namespace are checked: a dry run each, or a GET each.
            Assert.Equal(validate ? 2 : 0, after.DryRuns - before.DryRuns);
            Assert.InRange(after.Reads - before.Reads, validate ? 0 : 2, InNewNamespace - 1);
            Assert.Equal(h.App.Name, (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("there-0", other)).Metadata.Labels[Marks.AppLabel]);

            var again = await h.SyncAsync(null, [.. set]);
            again.Succeeded();
            Assert.All(again.Resources, r => Assert.Equal(ResourceAction.Unchanged, r.Action));
        }
        finally
        {
            try
            {
                await cluster.Client.CoreV1.DeleteNamespaceAsync(other);
            }
            catch (k8s.Autorest.HttpOperationException)
            {
                // not created
            }
        }
    }

    [Fact]
    public async Task An_invalid_object_in_an_existing_namespace_still_blocks_a_set_that_creates_a_namespace()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "newns-bad");
        var other = $"{h.Ns}-new";
        var bad = ConfigMap("bad");
        bad["data"] = Parse("""{"not a valid key!":"x"}""");
        var there = ConfigMap("there");
        there["metadata"]!["namespace"] = other;

        var result = await h.SyncAsync(null, Parse($$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{other}}}"}}"""), there, bad);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Contains("dry run failed", result.For("ConfigMap", "bad").Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => cluster.Client.CoreV1.ReadNamespaceAsync(other));
    }
}
