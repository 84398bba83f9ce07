using System.Text.Json.Nodes;
using GitOps.Engine.Cache;
using GitOps.Engine.Cluster;
using GitOps.Engine.Tracking;
using static GitOps.Engine.Tests.Support.Informers;

namespace GitOps.Engine.Tests.Unit;

/// <summary>Whose an object is when installations stamp their IDs: the tracking mark names the app, and an object
/// another installation stamped is nobody's of ours (Argo CD's installationID), while an unstamped one stays ours.</summary>
public sealed class InstallationOwnershipTests
{
    private static readonly ResourceKey Key = new("", "ConfigMap", "ns", "cm");

    [Theory]
    // stamped, ours, owned
    [InlineData(null, null, true)]
    [InlineData(null, "blue", true)] // predates our ID: still ours, stamped by the next sync
    [InlineData("blue", "blue", true)]
    [InlineData("green", "blue", false)]
    [InlineData("green", null, false)] // any stamp is another installation's when we have none
    public void The_tracking_mark_owns_only_within_the_installation(string? stamped, string? ours, bool owned)
    {
        var live = new LiveObject(ConfigMaps, Marked("shop", stamped));

        Assert.Equal(owned ? "shop" : null, live.OwnerApp(ours));
        Assert.Equal(owned ? null : stamped, live.ForeignInstallation(ours));
        Assert.Equal("shop", live.TrackedApp);
    }

    [Fact]
    public void An_empty_stamp_counts_as_none()
    {
        var live = new LiveObject(ConfigMaps, Marked("shop", ""));
        Assert.Null(live.InstallationId);
        Assert.Equal("shop", live.OwnerApp(null));
        Assert.Equal("shop", live.OwnerApp("blue"));
    }

    [Fact]
    public void Stamping_writes_the_installation_only_when_there_is_one()
    {
        var with = Marked("shop", "blue");
        var without = Marked("shop", null);

        Assert.Equal("blue", Obj.Annotation(with, Marks.InstallationId));
        Assert.Null(Obj.Annotation(without, Marks.InstallationId));
        Assert.Equal("shop:/ConfigMap:ns/cm", Obj.Annotation(with, Marks.TrackingId));
    }

    [Theory]
    [InlineData("blue", true)]
    [InlineData("team-a.staging_2", true)]
    [InlineData("", false)]
    [InlineData("-blue", false)]
    [InlineData("blue.", false)]
    [InlineData("blue green", false)]
    [InlineData("blue/green", false)]
    public void An_installation_id_is_a_label_value(string id, bool valid)
    {
        Assert.Equal(valid, Installation.Problem(id) is null);
        Assert.NotNull(Installation.Problem(new string('a', 64)));
    }

    private static JsonObject Marked(string app, string? installation)
    {
        var obj = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = Key.Name, ["namespace"] = Key.Namespace },
        };
        Tracker.Stamp(obj, app, Key, installation);
        return obj;
    }
}
