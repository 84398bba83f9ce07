using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Primitives;

namespace GitOps.Rendering.Kustomize.Generators;

/// <summary>kustomize's name suffix for generated ConfigMaps/Secrets: SHA-256 over a Go-json encoding of
/// kind, an empty name, type and data (keys sorted), first 10 hex digits with 0,1,3,a,e swapped for g,h,k,m,t.</summary>
internal static class ContentHash
{
    public static string Compute(JsonObject obj)
    {
        var kind = obj["kind"]?.ToString() ?? "";
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["kind"] = GoString(kind),
            // kustomize v5 hashes with an empty name (verified against kubectl kustomize 5.5).
            ["name"] = GoString(""),
        };
        if (kind == "Secret")
        {
            fields["type"] = GoString(obj["type"]?.ToString() ?? "");
        }

        fields["data"] = StringMap(obj["data"] as JsonObject);
        if (obj["binaryData"] is JsonObject { Count: > 0 } binary)
        {
            fields["binaryData"] = StringMap(binary);
        }

        var json = "{" + string.Join(",", fields.Select(f => $"{GoString(f.Key)}:{f.Value}")) + "}";
        var hex = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        var chars = hex[..10].ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch
            {
                '0' => 'g',
                '1' => 'h',
                '3' => 'k',
                'a' => 'm',
                'e' => 't',
                var c => c,
            };
        }

        return new string(chars);
    }

    private static string StringMap(JsonObject? map)
    {
        if (map is null || map.Count == 0)
        {
            // A generated ConfigMap without entries has no data field; kustomize hashes that as "".
            return map is null ? "\"\"" : "{}";
        }

        return "{" + string.Join(",", map.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{GoString(p.Key)}:{GoString(Scalars.ToText(p.Value))}")) + "}";
    }

    private static string GoString(string s) => GoJsonString.Quote(s);
}
