using System.Text.Json.Nodes;

namespace GitOps.Rendering.Kustomize.Patching;

/// <summary>RFC 6902 JSON Patch (add, remove, replace, move, copy, test) over JSON nodes.</summary>
internal static class JsonPatch
{
    public static JsonNode Apply(JsonNode document, JsonArray operations, string? source)
    {
        var root = new JsonObject { ["r"] = document.DeepClone() };
        foreach (var opNode in operations)
        {
            if (opNode is not JsonObject op)
            {
                throw new RenderException("JSON patch operation is not an object", source);
            }

            var name = op["op"]?.ToString() ?? throw new RenderException("JSON patch operation has no 'op'", source);
            var path = op["path"]?.ToString() ?? throw new RenderException($"JSON patch '{name}' has no 'path'", source);
            switch (name)
            {
                case "add":
                    Add(root, path, Value(op, source), source);
                    break;
                case "remove":
                    Remove(root, path, source);
                    break;
                case "replace":
                    Remove(root, path, source);
                    Add(root, path, Value(op, source), source);
                    break;
                case "move":
                    var from = op["from"]?.ToString() ?? throw new RenderException("JSON patch 'move' has no 'from'", source);
                    var moved = Get(root, from, source);
                    Remove(root, from, source);
                    Add(root, path, moved, source);
                    break;
                case "copy":
                    var copyFrom = op["from"]?.ToString() ?? throw new RenderException("JSON patch 'copy' has no 'from'", source);
                    Add(root, path, Get(root, copyFrom, source)?.DeepClone(), source);
                    break;
                case "test":
                    var actual = Get(root, path, source);
                    if (!JsonNode.DeepEquals(actual, op["value"]))
                    {
                        throw new RenderException($"JSON patch test failed at '{path}'", source);
                    }

                    break;
                default:
                    throw new RenderException($"unknown JSON patch operation '{name}'", source);
            }
        }

        return root["r"] ?? throw new RenderException("JSON patch removed the whole object", source);
    }

    private static JsonNode? Value(JsonObject op, string? source) =>
        op.TryGetPropertyValue("value", out var v) ? v?.DeepClone() : throw new RenderException($"JSON patch '{op["op"]}' at '{op["path"]}' has no 'value'", source);

    private static List<string> Tokens(string path, string? source)
    {
        if (path.Length == 0)
        {
            return ["r"];
        }

        if (path[0] != '/')
        {
            throw new RenderException($"JSON pointer '{path}' does not start with '/'", source);
        }

        return ["r", .. path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static JsonNode Parent(JsonObject root, List<string> tokens, string path, string? source)
    {
        JsonNode current = root;
        foreach (var t in tokens.Take(tokens.Count - 1))
        {
            current = Child(current, t) ?? throw new RenderException($"JSON patch path '{path}' does not exist", source);
        }

        return current;
    }

    private static JsonNode? Child(JsonNode node, string token) => node switch
    {
        JsonObject o => o[token],
        JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
        _ => null,
    };

    private static JsonNode? Get(JsonObject root, string path, string? source)
    {
        var tokens = Tokens(path, source);
        var parent = Parent(root, tokens, path, source);
        return parent switch
        {
            JsonObject o when o.TryGetPropertyValue(tokens[^1], out var v) => v,
            JsonArray a when int.TryParse(tokens[^1], out var i) && i >= 0 && i < a.Count => a[i],
            _ => throw new RenderException($"JSON patch path '{path}' does not exist", source),
        };
    }

    private static void Add(JsonObject root, string path, JsonNode? value, string? source)
    {
        var tokens = Tokens(path, source);
        var parent = Parent(root, tokens, path, source);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new RenderException($"JSON patch cannot add at '{path}'", source);
        }
    }

    private static void Remove(JsonObject root, string path, string? source)
    {
        var tokens = Tokens(path, source);
        var parent = Parent(root, tokens, path, source);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                a.RemoveAt(i);
                break;
            default:
                throw new RenderException($"JSON patch path '{path}' does not exist", source);
        }
    }
}
