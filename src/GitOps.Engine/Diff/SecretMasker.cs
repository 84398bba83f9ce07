using System.Text;
using System.Text.Json.Nodes;
using GitOps.Engine.Cluster;

namespace GitOps.Engine.Diff;

/// <summary>
/// Replaces Secret values with placeholders before anything is shown. The same value maps to the same
/// placeholder on both sides, so an unchanged value shows as unchanged and a changed one as changed, without
/// revealing either.
/// </summary>
internal static class SecretMasker
{
    public static bool IsSecret(JsonObject? obj) =>
        obj is not null && Obj.Str(obj, "kind") == "Secret" && Obj.Str(obj, "apiVersion") == "v1";

    /// <summary>Masks data values of both (normalised) objects in place, consistently.</summary>
    public static void MaskPair(JsonObject? a, JsonObject? b)
    {
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var secret in new[] { a, b })
        {
            if (secret?["data"] is not JsonObject data)
            {
                continue;
            }

            foreach (var key in data.Select(p => p.Key).Order(StringComparer.Ordinal).ToList())
            {
                var value = data[key]?.ToJsonString() ?? "null";
                if (!tokens.TryGetValue(value, out var token))
                {
                    token = tokens[value] = $"*** masked value {tokens.Count + 1} ***";
                }

                data[key] = token;
            }
        }
    }

    /// <summary>Removes every value of the Secret (plain and base64) from a message, e.g. an API error.</summary>
    public static string Scrub(string message, JsonObject? secret)
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
