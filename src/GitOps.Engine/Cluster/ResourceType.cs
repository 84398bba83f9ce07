using System.Text.Json.Nodes;

namespace GitOps.Engine.Cluster;

/// <summary>One served resource: group/version/kind, its plural name and scope.</summary>
internal sealed record ResourceType(string Group, string Version, string Kind, string Plural, bool Namespaced,
    bool Watchable)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    private string Prefix => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    public string CollectionPath(string? ns) =>
        Namespaced && ns is not null ? $"{Prefix}/namespaces/{ns}/{Plural}" : $"{Prefix}/{Plural}";

    public string ObjectPath(string? ns, string name) => $"{CollectionPath(ns)}/{Uri.EscapeDataString(name)}";

}

/// <summary>Small helpers to read the usual fields of an untyped object.</summary>
internal static class Obj
{
    public static string? Str(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static long? Long(JsonNode? node, params string[] path) => At(node, path) switch
    {
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue d when d.TryGetValue<double>(out var dbl) => (long)dbl,
        _ => null,
    };

    public static bool? Bool(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    public static JsonObject? O(JsonNode? node, params string[] path) => At(node, path) as JsonObject;

    private static JsonNode? At(JsonNode? node, string[] path)
    {
        foreach (var p in path)
        {
            node = node is JsonObject o ? o[p] : null;
        }

        return node;
    }

    public static JsonObject Metadata(JsonObject obj) =>
        obj["metadata"] as JsonObject ?? (JsonObject)(obj["metadata"] = new JsonObject());

    public static string? Annotation(JsonObject obj, string key) => Str(obj, "metadata", "annotations", key);

    /// <summary>The condition of the given type in status.conditions, if any.</summary>
    public static JsonObject? Condition(JsonObject obj, string type) =>
        (obj["status"] as JsonObject)?["conditions"] is JsonArray conditions
            ? conditions.OfType<JsonObject>().FirstOrDefault(c => Str(c, "type") == type)
            : null;
}
