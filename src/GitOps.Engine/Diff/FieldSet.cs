using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Engine.Diff;

/// <summary>
/// Walks a server-side-apply field set (managedFields[].fieldsV1: "f:name", "k:{keys}", "v:value", "i:index",
/// ".") over an object: to read the values a manager owns, or to drop them (ignore a manager's fields).
/// </summary>
internal static class FieldSet
{
    /// <summary>The fieldsV1 of the given manager's entries (merged), or null if it owns nothing.</summary>
    public static JsonObject? Owned(JsonObject obj, string manager, string? operation = null)
    {
        if (Cluster.Obj.O(obj, "metadata")?["managedFields"] is not JsonArray entries)
        {
            return null;
        }

        JsonObject? merged = null;
        foreach (var e in entries.OfType<JsonObject>())
        {
            if (Cluster.Obj.Str(e, "manager") == manager && (operation is null || Cluster.Obj.Str(e, "operation") == operation)
                && Cluster.Obj.Str(e, "subresource") is null or "" && e["fieldsV1"] is JsonObject set)
            {
                merged ??= new JsonObject();
                Merge(merged, set);
            }
        }

        return merged;
    }

    /// <summary>A canonical text of (path, value) for every leaf the set names: equal texts mean the owned
    /// values are unchanged.</summary>
    public static string Project(JsonNode? node, JsonObject set)
    {
        var sb = new StringBuilder();
        Walk(node, set, "", (path, parent, key, value) => sb.Append(path).Append('=').Append(value?.ToJsonString() ?? "null").Append('\n'));
        return sb.ToString();
    }

    /// <summary>Removes every leaf the set names from the object.</summary>
    public static void Remove(JsonNode node, JsonObject set)
    {
        var removals = new List<Action>();
        Walk(node, set, "", (_, parent, key, value) =>
        {
            switch (parent)
            {
                case JsonObject o when key is string name:
                    removals.Add(() => o.Remove(name));
                    break;
                case JsonArray a when value is not null:
                    removals.Add(() => a.Remove(value));
                    break;
            }
        });
        foreach (var remove in Enumerable.Reverse(removals))
        {
            remove();
        }
    }

    private static void Walk(JsonNode? node, JsonObject set, string path,
        Action<string, JsonNode?, string?, JsonNode?> leaf)
    {
        foreach (var (entry, sub) in set.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var children = sub as JsonObject;
            var isLeaf = children is null || children.All(c => c.Key == ".");
            if (entry.StartsWith("f:", StringComparison.Ordinal) && node is JsonObject o)
            {
                var name = entry[2..];
                var child = o[name];
                var childPath = path + "/" + JsonPointer.Escape(name);
                if (isLeaf)
                {
                    if (o.ContainsKey(name))
                    {
                        leaf(childPath, o, name, child);
                    }
                }
                else
                {
                    Walk(child, children!, childPath, leaf);
                }
            }
            else if (node is JsonArray a && FindItem(a, entry) is { } item)
            {
                var itemPath = path + "/" + entry;
                if (isLeaf)
                {
                    leaf(itemPath, a, null, item);
                }
                else
                {
                    Walk(item, children!, itemPath, leaf);
                }
            }
        }
    }

    private static JsonNode? FindItem(JsonArray array, string entry)
    {
        if (entry.StartsWith("k:", StringComparison.Ordinal) && JsonNode.Parse(entry[2..]) is JsonObject keys)
        {
            return array.FirstOrDefault(item => item is JsonObject io
                && keys.All(k => JsonCompare.Equal(io[k.Key], k.Value)));
        }

        if (entry.StartsWith("v:", StringComparison.Ordinal))
        {
            var value = JsonNode.Parse(entry[2..]);
            return array.FirstOrDefault(item => JsonCompare.Equal(item, value));
        }

        if (entry.StartsWith("i:", StringComparison.Ordinal) && int.TryParse(entry[2..], out var i) && i >= 0 && i < array.Count)
        {
            return array[i];
        }

        return null;
    }

    private static void Merge(JsonObject into, JsonObject from)
    {
        foreach (var (key, value) in from)
        {
            if (into[key] is JsonObject existing && value is JsonObject more)
            {
                Merge(existing, more);
            }
            else if (!into.ContainsKey(key))
            {
                into[key] = value?.DeepClone();
            }
        }
    }
}
