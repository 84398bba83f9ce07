using System.Globalization;
using System.Text;
using System.Text.Json;
using GitOps.Primitives;

namespace GitOps.Templating.Serialization;

/// <summary>A JSON encode/decode failed (Go's json error text).</summary>
public sealed class GoJsonException(string message) : Exception(message);

/// <summary>encoding/json as Go marshals the value model: sorted keys, HTML-escaping, float64 formatting.</summary>
public static class GoJson
{
    public static string Write(object? value, bool escapeHtml = true, string? indent = null)
    {
        var sb = new StringBuilder();
        WriteValue(sb, value, escapeHtml, indent, 0);
        return sb.ToString();
    }

    private static void NewLine(StringBuilder sb, string? indent, int level)
    {
        if (indent is null) return;
        sb.Append('\n');
        for (var i = 0; i < level; i++) sb.Append(indent);
    }

    private static void WriteValue(StringBuilder sb, object? v, bool html, string? indent, int level)
    {
        switch (GoValues.Unwrap(v))
        {
            case null: sb.Append("null"); return;
            case bool b: sb.Append(b ? "true" : "false"); return;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); return;
            case int i: sb.Append(i.ToString(CultureInfo.InvariantCulture)); return;
            case double d: sb.Append(FormatFloat(d)); return;
            case string s: WriteString(sb, s, html); return;
            case byte[] bytes: WriteString(sb, System.Convert.ToBase64String(bytes), html); return;
            case GoDuration dur: sb.Append(dur.Nanoseconds.ToString(CultureInfo.InvariantCulture)); return;
            case DateTimeOffset t: WriteString(sb, GoTime.Format(t, "2006-01-02T15:04:05.999999999Z07:00"), html); return;
            case IJsonValue j: WriteValue(sb, j.ToJsonValue(), html, indent, level); return;
            case List<object?> list:
                if (list.Count == 0) { sb.Append("[]"); return; }
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    NewLine(sb, indent, level + 1);
                    WriteValue(sb, list[i], html, indent, level + 1);
                }
                NewLine(sb, indent, level);
                sb.Append(']');
                return;
            case Dictionary<string, object?> map:
                if (map.Count == 0) { sb.Append("{}"); return; }
                sb.Append('{');
                var first = true;
                foreach (var k in GoValues.SortedKeys(map))
                {
                    if (!first) sb.Append(',');
                    first = false;
                    NewLine(sb, indent, level + 1);
                    WriteString(sb, k, html);
                    sb.Append(indent is null ? ":" : ": ");
                    WriteValue(sb, map[k], html, indent, level + 1);
                }
                NewLine(sb, indent, level);
                sb.Append('}');
                return;
            case var o: WriteString(sb, GoFormat.Value(o), html); return;
        }
    }

    /// <summary>Go's float64 JSON text: 'f' in [1e-6, 1e21), else 'e' with a trimmed exponent.</summary>
    internal static string FormatFloat(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d)) throw new GoJsonException($"json: unsupported value: {GoFormat.FormatFloat(d, 'g', -1)}");
        var abs = Math.Abs(d);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21))
        {
            var s = GoFormat.FormatFloat(d, 'e', -1);
            var e = s.IndexOf('e', StringComparison.Ordinal);
            if (e >= 0 && s.Length - e == 4 && s[e + 2] == '0') s = s[..(e + 2)] + s[(e + 3)..];
            return s;
        }
        return GoFormat.FormatFloat(d, 'f', -1);
    }

    private static void WriteString(StringBuilder sb, string s, bool html) => GoJsonString.Append(sb, s, html);

    /// <summary>json.Unmarshal into interface{}: numbers become float64.</summary>
    public static object? Read(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 10000 });
            return ToGo(doc.RootElement);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new GoJsonException(text.Trim().Length == 0 ? "unexpected end of JSON input" : $"invalid character: {e.Message}");
        }
    }

    private static object? ToGo(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().Aggregate(GoValues.NewMap(), (m, p) => { m[p.Name] = ToGo(p.Value); return m; }),
        JsonValueKind.Array => e.EnumerateArray().Select(ToGo).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>Go's name for a JSON value's kind in unmarshal errors.</summary>
    public static string JsonKind(object? v) => v switch
    {
        Dictionary<string, object?> => "object",
        List<object?> => "array",
        string => "string",
        double => "number",
        bool => "bool",
        _ => "null",
    };
}
