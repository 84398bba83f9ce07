using System.Text.Json.Nodes;
using GitOps.Engine.Cluster;

namespace GitOps.Engine.Tracking;

/// <summary>Stamps and reads the tracking mark. An object belongs to an app only when the mark names the app
/// AND the object itself (controllers copy annotations to children: a ReplicaSet carries its Deployment's).</summary>
internal static class Tracker
{
    public static string TrackingId(string app, ResourceKey key) =>
        $"{app}:{key.Group}/{key.Kind}:{key.Namespace ?? ""}/{key.Name}";

    public static void Stamp(JsonObject obj, string app, ResourceKey key)
    {
        var meta = Obj.Metadata(obj);
        var annotations = meta["annotations"] as JsonObject ?? (JsonObject)(meta["annotations"] = new JsonObject());
        annotations[Marks.TrackingId] = TrackingId(app, key);
        var labels = meta["labels"] as JsonObject ?? (JsonObject)(meta["labels"] = new JsonObject());
        labels[Marks.AppLabel] = app;
    }

    /// <summary>The app whose mark names this very object, or null when unmarked (or the mark was copied).</summary>
    public static string? OwnerApp(JsonObject live, ResourceKey key)
    {
        var id = Obj.Annotation(live, Marks.TrackingId);
        if (id is null)
        {
            return null;
        }

        var colon = id.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return null;
        }

        var app = id[..colon];
        return id == TrackingId(app, key) ? app : null;
    }

    public static ResourceKey KeyOf(JsonObject obj)
    {
        var (group, _) = ApiVersions.Split(Obj.Str(obj, "apiVersion") ?? "");
        return new ResourceKey(group, Obj.Str(obj, "kind") ?? "", Obj.Str(obj, "metadata", "namespace"),
            Obj.Str(obj, "metadata", "name") ?? "");
    }

    public static bool HasOption(JsonObject obj, string option)
    {
        var options = Obj.Annotation(obj, Marks.SyncOptions);
        return options is not null && options.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(o => string.Equals(o, option, StringComparison.OrdinalIgnoreCase));
    }

    public static bool PruneDisabled(JsonObject obj) => HasOption(obj, "Prune=false");
}
