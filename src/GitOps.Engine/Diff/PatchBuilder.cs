using System.Text.Json.Nodes;

namespace GitOps.Engine.Diff;

/// <summary>Generates an RFC 6902 JSON Patch turning one document into another (keys escaped per RFC 6901).
/// Arrays of equal length are patched item by item; otherwise replaced whole (readable and always valid).</summary>
internal static class PatchBuilder
{
    public static JsonArray Build(JsonNode? from, JsonNode? to)
    {
        var ops = new JsonArray();
        Diff(from, to, "", ops);
        return ops;
    }

    private static void Diff(JsonNode? from, JsonNode? to, string path, JsonArray ops)
    {
        if (JsonCompare.Equal(from, to))
        {
            return;
        }

        switch (from, to)
        {
            case (JsonObject a, JsonObject b):
                foreach (var (key, value) in a.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    var child = JsonPointer.Append(path, key);
                    if (!b.ContainsKey(key))
                    {
                        ops.Add(new JsonObject { ["op"] = "remove", ["path"] = child });
                    }
                    else
                    {
                        Diff(value, b[key], child, ops);
                    }
                }

                foreach (var (key, value) in b.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!a.ContainsKey(key))
                    {
                        ops.Add(new JsonObject { ["op"] = "add", ["path"] = JsonPointer.Append(path, key), ["value"] = value?.DeepClone() });
                    }
                }

                break;
            case (JsonArray a, JsonArray b) when a.Count == b.Count:
                for (var i = 0; i < a.Count; i++)
                {
                    Diff(a[i], b[i], $"{path}/{i}", ops);
                }

                break;
            default:
                ops.Add(path.Length == 0 && from is null
                    ? new JsonObject { ["op"] = "add", ["path"] = path, ["value"] = to?.DeepClone() }
                    : new JsonObject { ["op"] = "replace", ["path"] = path, ["value"] = to?.DeepClone() });
                break;
        }
    }
}
