using System.Text.Json.Nodes;
using GitOps.Engine.Sync;
using GitOps.Engine.Tracking;

namespace GitOps.Engine.Tests.Unit;

public sealed class OrderingAndTrackingTests
{
    [Fact]
    public void Kind_order_puts_crds_and_namespaces_first_and_webhooks_last()
    {
        string[] kinds = ["Deployment", "Widget", "ValidatingWebhookConfiguration", "Service", "Namespace", "CustomResourceDefinition", "ConfigMap"];
        var ordered = kinds.OrderBy(SyncOrder.KindRank).ToArray();
        Assert.Equal(["CustomResourceDefinition", "Namespace", "ConfigMap", "Service", "Deployment", "Widget", "ValidatingWebhookConfiguration"], ordered);
    }

    [Fact]
    public void Waves_come_before_kinds_and_names_break_ties()
    {
        var keys = new[]
        {
            SyncOrder.Key(1, new ResourceKey("", "ConfigMap", "a", "x")),
            SyncOrder.Key(0, new ResourceKey("apps", "Deployment", "a", "y")),
            SyncOrder.Key(0, new ResourceKey("apps", "Deployment", "a", "b")),
            SyncOrder.Key(-1, new ResourceKey("apps", "Deployment", "a", "z")),
        };
        var ordered = keys.Order(SyncOrder.Comparer).Select(k => (k.Wave, k.Name)).ToArray();
        Assert.Equal([(-1, "z"), (0, "b"), (0, "y"), (1, "x")], ordered);
    }

    [Fact]
    public void Tracking_mark_counts_only_on_the_object_it_names()
    {
        var key = new ResourceKey("apps", "Deployment", "ns", "web");
        var obj = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "ns" } };
        Tracker.Stamp(obj, "shop", key, installationId: null);
        Assert.Equal("shop:apps/Deployment:ns/web", obj["metadata"]!["annotations"]![Marks.TrackingId]!.GetValue<string>());
        Assert.Equal("shop", Tracker.TrackedApp(obj, key));
        // A ReplicaSet inherits its Deployment's annotations: it is not the app's object.
        Assert.Null(Tracker.TrackedApp(obj, key with { Kind = "ReplicaSet", Name = "web-5d8f" }));
    }

    [Fact]
    public void Ports_get_protocol_tcp_by_default()
    {
        var obj = JsonNode.Parse("""{"spec":{"ports":[{"port":80},{"port":53,"protocol":"UDP"}],"template":{"spec":{"containers":[{"ports":[{"containerPort":8080}]}]}}}}""")!;
        PortDefaults.Apply(obj);
        Assert.Equal("""{"spec":{"ports":[{"port":80,"protocol":"TCP"},{"port":53,"protocol":"UDP"}],"template":{"spec":{"containers":[{"ports":[{"containerPort":8080,"protocol":"TCP"}]}]}}}}""", obj.ToJsonString());
    }
}
