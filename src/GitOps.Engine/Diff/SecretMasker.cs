using System.Text;
using System.Text.Json.Nodes;
using GitOps.Engine.Cluster;

namespace GitOps.Engine.Diff;

/// <summary>
/// Replaces Secret values with placeholders before anything is shown. The same value maps to the same
/// placeholder on both sides, so an unchanged value shows as unchanged and a changed one as changed, without
/// revealing either. The one masker: the engine's diffs and errors and the API's objects all go through it.
/// </summary>
public static class SecretMasker
{
    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>A copy of the object with every Secret value masked (data and stringData, whatever the value:
    /// valid base64 or not), and a last-applied annotation (a copy of the values) dropped. Other kinds are
    /// returned as a copy, unchanged.</summary>
    public static JsonObject Masked(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var copy = obj.DeepClone().AsObject();
        if (!IsSecret(copy))
        {
            return copy;
        }

        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in new[] { "data", "stringData" })
        {
            if (copy[field] is JsonObject map)
            {
                MaskValues(map, tokens);
            }
            else if (copy[field] is not null)
            {
                copy[field] = "*** masked ***";
            }
        }

        if (copy["metadata"] is JsonObject { } meta && meta["annotations"] is JsonObject annotations)
        {
            annotations.Remove(LastApplied);
        }

        return copy;
    }

    /// <summary>A core v1 Secret (a kind-only match would also catch custom kinds named Secret, which is
    /// harmless, but the apiVersion check keeps CRDs' own "Secret" kinds readable).</summary>
    public static bool IsSecret(JsonObject? obj) =>
        obj is not null && Obj.Str(obj, "kind") == "Secret" && Obj.Str(obj, "apiVersion") == "v1";

    /// <summary>Masks data values of both (normalised) objects in place, consistently.</summary>
    internal static void MaskPair(JsonObject? a, JsonObject? b)
    {
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var secret in new[] { a, b })
        {
            foreach (var field in new[] { "data", "stringData" })
            {
                if (secret?[field] is JsonObject map)
                {
                    MaskValues(map, tokens);
                }
            }
        }
    }

    private static void MaskValues(JsonObject map, Dictionary<string, string> tokens)
    {
        foreach (var key in map.Select(p => p.Key).Order(StringComparer.Ordinal).ToList())
        {
            var value = map[key]?.ToJsonString() ?? "null";
            if (!tokens.TryGetValue(value, out var token))
            {
                token = tokens[value] = $"*** masked value {tokens.Count + 1} ***";
            }

            map[key] = token;
        }
    }

    /// <summary>Removes every value of the Secret (plain and base64) from a message, e.g. an API error.</summary>
    internal static string Scrub(string message, JsonObject? secret)
    {
        if (!IsSecret(secret))
        {
            return message;
        }

        var values = new List<string>();
        foreach (var field in new[] { "data", "stringData" })
        {
            if (secret![field] is JsonObject map)
            {
                foreach (var (_, v) in map)
                {
                    if (v is JsonValue jv && jv.TryGetValue<string>(out var s) && s.Length > 0)
                    {
                        values.Add(s);
                        values.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes(s)));
                        try
                        {
                            values.Add(Encoding.UTF8.GetString(Convert.FromBase64String(s)));
                        }
                        catch (FormatException)
                        {
                            // Not base64 (stringData): the plain and encoded forms are already listed.
                        }
                    }
                }
            }
        }

        foreach (var v in values.Where(v => v.Length >= 3).OrderByDescending(v => v.Length))
        {
            message = message.Replace(v, "***", StringComparison.Ordinal);
        }

        return message;
    }
}
