using System.Text;
using System.Text.Json.Nodes;
using GitOps.Engine.Cluster;

namespace GitOps.Engine.Diff;

/// <summary>Strips what is never a meaningful difference so a compare of dry run vs live is not noisy.</summary>
internal static class Normalizer
{
    private static readonly string[] VolatileMetadata =
        ["managedFields", "resourceVersion", "uid", "generation", "creationTimestamp", "selfLink"];

    public static JsonObject Normalize(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject meta)
        {
            foreach (var field in VolatileMetadata)
            {
                meta.Remove(field);
            }

            // Our marks are bookkeeping, not desired state. An object that lacks them (adopted, or not yet stamped
            // with our installation ID) is out of sync whatever its diff says (Comparer).
            RemoveKey(meta, "annotations", Marks.TrackingId);
            RemoveKey(meta, "annotations", Marks.InstallationId);
            RemoveKey(meta, "annotations", "kubectl.kubernetes.io/last-applied-configuration");
            RemoveKey(meta, "labels", Marks.AppLabel);
        }

        if (Obj.Str(copy, "kind") == "Secret" && Obj.Str(copy, "apiVersion") == "v1")
        {
            MergeStringData(copy);
        }

        return copy;
    }

    /// <summary>stringData is write-only sugar for base64 data: compare it as data.</summary>
    private static void MergeStringData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject stringData)
        {
            return;
        }

        var data = secret["data"] as JsonObject ?? (JsonObject)(secret["data"] = new JsonObject());
        foreach (var (key, value) in stringData.ToList())
        {
            var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        }

        secret.Remove("stringData");
    }

    private static void RemoveKey(JsonObject meta, string map, string key)
    {
        if (meta[map] is JsonObject m)
        {
            m.Remove(key);
            if (m.Count == 0)
            {
                meta.Remove(map);
            }
        }
    }
}
