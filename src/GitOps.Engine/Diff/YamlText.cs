using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Engine.Diff;

/// <summary>Deterministic block YAML for diffs (keys sorted; strings quoted when YAML 1.1 could retype them). A
/// display format that reproduces no upstream tool, so it is not Rendering's KyamlWriter (which keeps key order
/// for byte-for-byte kustomize output), and the engine stays independent of the render stage.</summary>
internal static class YamlText
{
    public static string Write(JsonNode? node)
    {
        if (node is null)
        {
            return "";
        }

        var sb = new StringBuilder();
        WriteNode(sb, node, 0, inList: false);
        return sb.ToString();
    }

    private static void WriteNode(StringBuilder sb, JsonNode node, int indent, bool inList)
    {
        switch (node)
        {
            case JsonObject o when o.Count > 0:
                var first = true;
                foreach (var (key, value) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!(first && inList))
                    {
                        sb.Append(' ', indent);
                    }

                    first = false;
                    sb.Append(Scalar(key)).Append(':');
                    WriteChild(sb, value, indent + 2);
                }

                break;
            case JsonArray a when a.Count > 0:
                foreach (var item in a)
                {
                    sb.Append(' ', indent).Append("- ");
                    if (item is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
                    {
                        if (item is JsonArray)
                        {
                            sb.Append('\n');
                            WriteNode(sb, item, indent + 2, inList: false);
                        }
                        else
                        {
                            WriteNode(sb, item, indent + 2, inList: true);
                        }
                    }
                    else
                    {
                        sb.Append(Inline(item)).Append('\n');
                    }
                }

                break;
            default:
                sb.Append(' ', indent).Append(Inline(node)).Append('\n');
                break;
        }
    }

    private static void WriteChild(StringBuilder sb, JsonNode? value, int indent)
    {
        if (value is JsonObject { Count: > 0 })
        {
            sb.Append('\n');
            WriteNode(sb, value, indent, inList: false);
        }
        else if (value is JsonArray { Count: > 0 })
        {
            sb.Append('\n');
            WriteNode(sb, value, indent - 2, inList: false);
        }
        else if (value is JsonValue v && v.TryGetValue<string>(out var s) && s.Contains('\n', StringComparison.Ordinal))
        {
            sb.Append(" |\n");
            foreach (var line in s.TrimEnd('\n').Split('\n'))
            {
                sb.Append(' ', indent).Append(line).Append('\n');
            }
        }
        else
        {
            sb.Append(' ').Append(Inline(value)).Append('\n');
        }
    }

    private static string Inline(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Scalar(v.GetValue<string>()),
        _ => node.ToJsonString(),
    };

    private static readonly HashSet<string> Retyped = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
    };

    private static string Scalar(string s)
    {
        var plain = s.Length > 0
            && !Retyped.Contains(s)
            && !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            && !"-?:,[]{}#&*!|>'\"%@`".Contains(s[0], StringComparison.Ordinal)
            && !s.Contains(": ", StringComparison.Ordinal) && !s.Contains(" #", StringComparison.Ordinal)
            && !char.IsWhiteSpace(s[0]) && !char.IsWhiteSpace(s[^1])
            && s.All(c => !char.IsControl(c));
        // The same escaping as JsonSerializer.Serialize(string), without reflection (the CLI is Native AOT).
        return plain ? s : $"\"{JsonEncodedText.Encode(s)}\"";
    }
}
