using System.Text.Json.Nodes;

namespace GitOps.Engine.Diff;

/// <summary>RFC 6901 pointers: escaping for generated patches, and removal for ignoreDifferences.</summary>
internal static class JsonPointer
{
    public static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal)
        .Replace("/", "~1", StringComparison.Ordinal);

    public static string Unescape(string token) => token.Replace("~1", "/", StringComparison.Ordinal)
        .Replace("~0", "~", StringComparison.Ordinal);

    public static string Append(string pointer, string token) => pointer + "/" + Escape(token);

    /// <summary>Removes the node the pointer names, if present. "*" as an array token matches every item.</summary>
    public static void Remove(JsonNode root, string pointer)
    {
        if (pointer.Length == 0 || pointer[0] != '/')
        {
            return;
        }

        var tokens = pointer[1..].Split('/').Select(Unescape).ToArray();
        Remove(root, tokens, 0);
    }

    private static void Remove(JsonNode? node, string[] tokens, int at)
    {
        var last = at == tokens.Length - 1;
        var token = tokens[at];
        switch (node)
        {
            case JsonObject o when o.ContainsKey(token):
                if (last)
                {
                    o.Remove(token);
                }
                else
                {
                    Remove(o[token], tokens, at + 1);
                }

                break;
            case JsonArray a when token == "*":
                if (last)
                {
                    a.Clear();
                }
                else
                {
                    foreach (var item in a)
                    {
                        Remove(item, tokens, at + 1);
                    }
                }

                break;
            case JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count:
                if (last)
                {
                    a.RemoveAt(i);
                }
                else
                {
                    Remove(a[i], tokens, at + 1);
                }

                break;
        }
    }
}
