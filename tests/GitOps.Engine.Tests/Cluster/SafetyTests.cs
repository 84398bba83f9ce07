using GitOps.Engine.Tests.Support;
using GitOps.Testing;
using static GitOps.Engine.Tests.Support.Manifests;

namespace GitOps.Engine.Tests.Cluster;

/// <summary>A desired set with an invalid object changes nothing (no apply, no prune); namespaces are created
/// when asked, and a Namespace object and its contents apply in one sync.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class SafetyTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Invalid_object_fails_the_sync_before_anything_is_applied_or_pruned()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "invalid");
        (await h.SyncAsync(null, ConfigMap("old"))).Succeeded();

        var unknownKind = Parse("""{"apiVersion":"example.com/v1","kind":"Nope","metadata":{"name":"x"}}""");
        var result = await h.SyncAsync(new SyncOptions { Prune = true, AllowEmpty = true }, ConfigMap("new"), unknownKind);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Contains("Nope", result.Message, StringComparison.Ordinal);
        var names = (await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(h.Ns)).Items.Select(c => c.Metadata.Name).ToList();
        Assert.Contains("old", names);
        Assert.DoesNotContain("new", names);
    }

    [Fact]
    public async Task Rejected_dry_run_fails_the_sync_before_anything_is_applied()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "rejected");
        (await h.SyncAsync(null, ConfigMap("cfg"))).Succeeded();

        var bad = ConfigMap("cfg");
        bad["data"] = Parse("""{"not a valid key!":"x"}""");
        var result = await h.SyncAsync(null, bad, ConfigMap("other"));
        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Contains("dry run failed", result.For("ConfigMap", "cfg").Message, StringComparison.Ordinal);
        Assert.DoesNotContain("other",
            (await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(h.Ns)).Items.Select(c => c.Metadata.Name));
    }

    [Fact]
    public async Task Destination_namespace_is_created_when_asked_and_namespace_objects_apply_with_their_contents()
    {
        var ns = $"created-{Guid.NewGuid():N}"[..20];
        var other = $"{ns}-b";
        await using var engine = new ClusterEngine(cluster.Client, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ClusterEngine>.Instance);
        var app = new AppTarget($"app-{ns}", ns);
        try
        {
            var inOther = ConfigMap("there");
            inOther["metadata"]!["namespace"] = other;
            var result = await engine.SyncAsync(app,
                EngineHarness.Set(ConfigMap("here"), inOther, Parse($$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{other}}}"}}""")),
                new SyncOptions { CreateNamespace = true }, CancellationToken.None);
            result.Succeeded();
            Assert.NotNull(await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("here", ns));
            Assert.NotNull(await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("there", other));
        }
        finally
        {
            foreach (var name in new[] { ns, other })
            {
                try
                {
                    await cluster.Client.CoreV1.DeleteNamespaceAsync(name);
                }
                catch (k8s.Autorest.HttpOperationException)
                {
                    // not created
                }
            }
        }
    }

    [Fact]
    public async Task A_namespace_created_for_a_set_that_fails_validation_is_removed_again()
    {
        var ns = $"rejected-{Guid.NewGuid():N}"[..20];
        await using var engine = new ClusterEngine(cluster.Client, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ClusterEngine>.Instance);
        var bad = ConfigMap("cfg");
        bad["data"] = Parse("""{"not a valid key!":"x"}""");
        try
        {
            var result = await engine.SyncAsync(new AppTarget($"app-{ns}", ns), EngineHarness.Set(bad, ConfigMap("good")),
                new SyncOptions { CreateNamespace = true }, CancellationToken.None);

            Assert.Equal(SyncOutcome.Failed, result.Outcome);
            Assert.Contains("dry run failed", result.For("ConfigMap", "cfg").Message, StringComparison.Ordinal);
            var left = (await cluster.Client.CoreV1.ListNamespaceAsync()).Items.SingleOrDefault(n => n.Metadata.Name == ns);
            Assert.True(left is null || left.Metadata.DeletionTimestamp is not null, "the namespace the failed sync created is gone or going");
        }
        finally
        {
            try
            {
                await cluster.Client.CoreV1.DeleteNamespaceAsync(ns);
            }
            catch (k8s.Autorest.HttpOperationException)
            {
                // already gone
            }
        }
    }
}
