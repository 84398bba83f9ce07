using System.Text.Json.Nodes;
using GitOps.Engine.Tests.Support;
using GitOps.Testing;
using static GitOps.Engine.Tests.Support.Manifests;

namespace GitOps.Engine.Tests.Cluster;

/// <summary>A CRD and its custom resource in one sync (a known Argo CD failure): the CRD is applied and
/// established first.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class CrdTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Crd_and_custom_resource_apply_in_one_sync()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "crd");
        var group = $"{h.Ns}.example.com";
        var crd = Parse($$$"""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
             "metadata":{"name":"widgets.{{{group}}}"},
             "spec":{"group":"{{{group}}}","scope":"Namespaced",
              "names":{"plural":"widgets","singular":"widget","kind":"Widget","listKind":"WidgetList"},
              "versions":[{"name":"v1","served":true,"storage":true,
               "schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","properties":{"size":{"type":"integer"} } } } } } }]} }
            """);
        JsonObject Widget(int size) => Parse($$$"""
            {"apiVersion":"{{{group}}}/v1","kind":"Widget","metadata":{"name":"w1"},"spec":{"size":{{{size}}}}}
            """);
        try
        {
            var result = await h.SyncAsync(null, Widget(1), crd);
            result.Succeeded();
            Assert.Equal(ResourceAction.Created, result.For("CustomResourceDefinition", $"widgets.{group}").Action);
            Assert.Equal(ResourceAction.Created, result.For("Widget", "w1").Action);
            var crdIndex = result.Log.ToList().FindIndex(l => l.Key?.Kind == "CustomResourceDefinition");
            var crIndex = result.Log.ToList().FindIndex(l => l.Key?.Kind == "Widget");
            Assert.True(crdIndex < crIndex);

            var compare = await h.CompareAsync(null, Widget(1), crd);
            Assert.True(compare.InSync, string.Join('\n', compare.Resources.Select(r => r.Diff)));
            Assert.Equal(HealthState.Healthy, compare.For("CustomResourceDefinition", $"widgets.{group}").Health.State);

            var changed = await h.CompareAsync(null, Widget(2), crd);
            Assert.Contains("+  size: 2", changed.For("Widget", "w1").Diff, StringComparison.Ordinal);
        }
        finally
        {
            await cluster.Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync($"widgets.{group}");
        }
    }
}
