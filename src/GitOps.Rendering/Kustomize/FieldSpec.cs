using System.Text.Json.Nodes;

namespace GitOps.Rendering.Kustomize;

/// <summary>Where a transformer acts: a slash path (arrays are walked through; `\/` escapes a slash in a key)
/// on objects of an optional group/version/kind, and whether missing fields are created.</summary>
internal sealed record FieldSpec(string Path, string? Kind = null, string? Group = null, string? Version = null, bool Create = false)
{
    public bool Applies(Resource r) =>
        (string.IsNullOrEmpty(Kind) || Kind == r.Kind) && (string.IsNullOrEmpty(Group) || Group == r.Group)
        && (string.IsNullOrEmpty(Version) || Version == r.Version);

    /// <summary>Same path, and this spec's group/version/kind (empty = any) take in <paramref name="other"/>'s:
    /// kustomize treats the two as one entry when it merges field spec lists.</summary>
    public bool Covers(FieldSpec other) =>
        Path == other.Path && (string.IsNullOrEmpty(Kind) || Kind == other.Kind)
        && (string.IsNullOrEmpty(Group) || Group == other.Group) && (string.IsNullOrEmpty(Version) || Version == other.Version);

    public string[] Segments => Split(Path);

    public static string[] Split(string path)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '\\' && i + 1 < path.Length && path[i + 1] == '/')
            {
                current.Append('/');
                i++;
            }
            else if (path[i] == '/')
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(path[i]);
            }
        }

        parts.Add(current.ToString());
        // A trailing "[]" (kustomize's mark for a list field) is kept: FieldPath.Visit never creates a list.
        return [.. parts.Where(p => p.Length > 0 && p != "[]")];
    }

    public static FieldSpec FromJson(JsonNode? node) => new(
        (string?)node?["path"] ?? "",
        (string?)node?["kind"],
        (string?)node?["group"],
        (string?)node?["version"],
        node?["create"] is JsonValue c && c.TryGetValue<bool>(out var b) && b);
}

/// <summary>Walks a field path through maps and arrays, calling back on each leaf's parent.</summary>
internal static class FieldPath
{
    /// <summary>Calls <paramref name="visit"/>(parent, key) for every place the path reaches. With
    /// <paramref name="create"/>, missing maps along the way are created (never through arrays).</summary>
    public static void Visit(JsonNode? node, ReadOnlySpan<string> path, bool create, Action<JsonObject, string> visit)
    {
        if (path.Length == 0 || node is null)
        {
            return;
        }

        if (node is JsonArray array)
        {
            foreach (var item in array.ToArray())
            {
                Visit(item, path, create, visit);
            }

            return;
        }

        if (node is not JsonObject obj)
        {
            return;
        }

        var key = path[0];
        var isList = key.EndsWith("[]", StringComparison.Ordinal);
        if (isList)
        {
            key = key[..^2];
        }

        if (path.Length == 1)
        {
            if (obj.ContainsKey(key) || create)
            {
                visit(obj, key);
            }

            return;
        }

        var child = obj[key];
        if (child is null)
        {
            if (!create || isList)
            {
                return;
            }

            child = new JsonObject();
            obj[key] = child;
        }

        Visit(child, path[1..], create, visit);
    }

    /// <summary>Reads a path like kustomize's `spec.template.spec.containers.[name=x].image` (dots, with
    /// `[k=v]` selectors and numeric indexes).</summary>
    public static List<string> ParseDotted(string path)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        var depth = 0;
        foreach (var c in path)
        {
            if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth--;
            }

            if (c == '.' && depth == 0)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(current.ToString());
        return [.. parts.Where(p => p.Length > 0)];
    }
}
