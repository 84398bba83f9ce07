using System.Text.Json.Nodes;
using GitOps.Engine.Cluster;

namespace GitOps.Engine.Tracking;

/// <summary>Stamps and reads the tracking mark. An object belongs to an app only when the mark names the app
/// AND the object itself (controllers copy annotations to children: a ReplicaSet carries its Deployment's), and
/// no other installation stamped it (<see cref="Installation.MayOwn"/>).</summary>
internal static class Tracker
{
    public static string TrackingId(string app, ResourceKey key) =>
        $"{app}:{key.Group}/{key.Kind}:{key.Namespace ?? ""}/{key.Name}";

    public static void Stamp(JsonObject obj, string app, ResourceKey key, string? installationId)
    {
        var meta = Obj.Metadata(obj);
        var annotations = meta["annotations"] as JsonObject ?? (JsonObject)(meta["annotations"] = new JsonObject());
        annotations[Marks.TrackingId] = TrackingId(app, key);
        if (installationId is not null)
        {
            annotations[Marks.InstallationId] = installationId;
        }

        var labels = meta["labels"] as JsonObject ?? (JsonObject)(meta["labels"] = new JsonObject());
        labels[Marks.AppLabel] = app;
    }

    /// <summary>A JSON merge patch that removes the installation-id annotation.</summary>
    public static JsonObject Unstamp() => new()
    {
        ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [Marks.InstallationId] = null } },
    };

    /// <summary>The installation-id annotation's value; null when absent or empty.</summary>
    public static string? InstallationOf(JsonObject obj) =>
        Obj.Annotation(obj, Marks.InstallationId) is { Length: > 0 } id ? id : null;

    /// <summary>The app whose mark names this very object, or null when unmarked (or the mark was copied),
    /// whichever installation stamped it.</summary>
    public static string? TrackedApp(JsonObject live, ResourceKey key)
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
