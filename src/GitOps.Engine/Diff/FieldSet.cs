using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Engine.Diff;

/// <summary>
/// Walks a server-side-apply field set (managedFields[].fieldsV1: "f:name", "k:{keys}", "v:value", "i:index",
/// ".") over an object: to read the values a manager owns, or to drop them (ignore a manager's fields).
/// </summary>
internal static class FieldSet
{
    /// <summary>The fieldsV1 of the given manager's entries, or null if it owns nothing. One entry (the usual case) is
    /// returned as the object's own node, several are merged into a new one: read it, never change it.</summary>
    public static JsonObject? Owned(JsonObject obj, string manager, string? operation = null)
    {
        if (Cluster.Obj.O(obj, "metadata")?["managedFields"] is not JsonArray entries)
        {
            return null;
        }

        JsonObject? first = null;
        JsonObject? merged = null;
        foreach (var e in entries.OfType<JsonObject>())
        {
            if (Cluster.Obj.Str(e, "manager") == manager && (operation is null || Cluster.Obj.Str(e, "operation") == operation)
                && Cluster.Obj.Str(e, "subresource") is null or "" && e["fieldsV1"] is JsonObject set)
            {
                if (first is null)
                {
                    first = set;
                    continue;
                }

                if (merged is null)
                {
                    merged = new JsonObject();
                    Merge(merged, first);
                }

                Merge(merged, set);
            }
        }

        return merged ?? first;
    }

    /// <summary>Writes the path and value of every leaf the set names, in the set's order: equal writes mean the
    /// owned values are unchanged. (Written straight to the caller's writer: no text per leaf.)</summary>
    public static void Project(Utf8JsonWriter writer, JsonNode? node, JsonObject set) =>
        Walk(node, set, "", (path, parent, key, value) =>
        {
            writer.WriteStringValue(path);
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer);
            }
        });

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
        foreach (var (entry, sub) in InOrder(set))
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

    /// <summary>The set's entries by name. The server writes them sorted already: then they are walked as they are.</summary>
    private static IEnumerable<KeyValuePair<string, JsonNode?>> InOrder(JsonObject set)
    {
        string? previous = null;
        foreach (var (key, _) in set)
        {
            if (previous is not null && string.CompareOrdinal(previous, key) > 0)
            {
                return set.OrderBy(p => p.Key, StringComparer.Ordinal);
            }

            previous = key;
        }

        return set;
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
