using GitOps.Engine.Tests.Support;
using GitOps.Testing;
using static GitOps.Engine.Tests.Support.Manifests;

namespace GitOps.Engine.Tests.Cluster;

/// <summary>Create, no-op and update through server-side apply, with tracking marks.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class ApplyTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Creates_then_no_op_then_updates_only_what_changed()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "apply");

        var created = await h.SyncAsync(null, ConfigMap("cfg"), Service("web"), Deployment("web"));
        created.Succeeded();
        Assert.All(created.Resources, r => Assert.Equal(ResourceAction.Created, r.Action));

        var cm = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("cfg", h.Ns);
        Assert.Equal($"{h.App.Name}:/ConfigMap:{h.Ns}/cfg", cm.Metadata.Annotations[Marks.TrackingId]);
        Assert.Equal(h.App.Name, cm.Metadata.Labels[Marks.AppLabel]);
        var svc = await cluster.Client.CoreV1.ReadNamespacedServiceAsync("web", h.Ns);
        Assert.Equal("TCP", svc.Spec.Ports.Single().Protocol); // defaulted before apply on 1.20

        var before = h.Engine.ApiCalls;
        var noop = await h.SyncAsync(null, ConfigMap("cfg"), Service("web"), Deployment("web"));
        noop.Succeeded();
        Assert.All(noop.Resources, r => Assert.Equal(ResourceAction.Unchanged, r.Action));
        Assert.Equal(before.Writes, h.Engine.ApiCalls.Writes);
        var cmAfter = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("cfg", h.Ns);
        Assert.Equal(cm.Metadata.ResourceVersion, cmAfter.Metadata.ResourceVersion);

        var compare = await h.CompareAsync(null, ConfigMap("cfg"), Service("web"), Deployment("web"));
        Assert.True(compare.InSync, string.Join('\n', compare.Resources.Select(r => r.Diff)));

        var updated = await h.SyncAsync(null, ConfigMap("cfg", "2"), Service("web"), Deployment("web"));
        updated.Succeeded();
        Assert.Equal(ResourceAction.Configured, updated.For("ConfigMap", "cfg").Action);
        Assert.Equal(ResourceAction.Unchanged, updated.For("Service", "web").Action);
        Assert.Equal(ResourceAction.Unchanged, updated.For("Deployment", "web").Action);
        Assert.Equal("2", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("cfg", h.Ns)).Data["key"]);
    }

    [Fact]
    public async Task Aggregated_cluster_role_rules_are_left_to_the_controller_manager()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "aggregate");
        var name = $"{h.Ns}-view";
        var role = Parse($$$"""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"{{{name}}}"},
             "aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"rbac.example.com/aggregate-to-{{{h.Ns}}}":"true"}}]},"rules":[]}
            """);
        var part = Parse($$$"""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole",
             "metadata":{"name":"{{{name}}}-part","labels":{"rbac.example.com/aggregate-to-{{{h.Ns}}}":"true"}},
             "rules":[{"apiGroups":[""],"resources":["configmaps"],"verbs":["get"]}]}
            """);
        try
        {
            (await h.SyncAsync(null, role, part)).Succeeded();
            await Eventually.HoldsAsync(() => cluster.Client.RbacAuthorizationV1.ReadClusterRoleAsync(name),
                r => r.Rules?.Count == 1, TimeSpan.FromSeconds(20), "the controller-manager aggregates the rules");
            var again = await h.SyncAsync(new SyncOptions { ApplyUnchanged = true }, role, part);
            again.Succeeded();
            Assert.Single((await cluster.Client.RbacAuthorizationV1.ReadClusterRoleAsync(name)).Rules);
            Assert.True((await h.CompareAsync(null, role, part)).InSync);
        }
        finally
        {
            await cluster.Client.RbacAuthorizationV1.DeleteClusterRoleAsync(name);
            await cluster.Client.RbacAuthorizationV1.DeleteClusterRoleAsync($"{name}-part");
        }
    }
}
