using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Rendering.Yaml;

/// <summary>Block-style YAML in the shape kustomize (kyaml) prints (sequences not indented under their key, literal
/// blocks for multi-line text, long plain text folded at spaces past column 80) with quoting that reads back to the
/// same value under YAML 1.1 and 1.2.</summary>
internal static class KyamlWriter
{
    /// <summary>go-yaml's line width: a plain scalar breaks at the first single space past this column.</summary>
    private const int BestWidth = 80;

    public static void WriteDocument(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject { Count: > 0 } o:
                WriteMapping(sb, o, 0, inline: false);
                break;
            case JsonArray { Count: > 0 } a:
                WriteSequence(sb, a, 0, inline: false);
                break;
            default:
                sb.Append(Scalar(node, 0, 0)).Append('\n');
                break;
        }
    }

    private static void WriteMapping(StringBuilder sb, JsonObject obj, int indent, bool inline)
    {
        var first = true;
        foreach (var (key, value) in obj)
        {
            if (!(first && inline))
            {
                sb.Append(' ', indent);
            }

            first = false;
            var k = Key(key);
            sb.Append(k).Append(':');
            switch (value)
            {
                case JsonObject { Count: > 0 } o:
                    sb.Append('\n');
                    WriteMapping(sb, o, indent + 2, inline: false);
                    break;
                case JsonArray { Count: > 0 } a:
                    sb.Append('\n');
                    WriteSequence(sb, a, indent, inline: false);
                    break;
                default:
                    sb.Append(' ').Append(Scalar(value, indent + 2, indent + k.Length + 2)).Append('\n');
                    break;
            }
        }
    }

    private static void WriteSequence(StringBuilder sb, JsonArray array, int indent, bool inline)
    {
        var first = true;
        foreach (var item in array)
        {
            if (!(first && inline))
            {
                sb.Append(' ', indent);
            }

            first = false;
            sb.Append("- ");
            switch (item)
            {
                case JsonObject { Count: > 0 } o:
                    WriteMapping(sb, o, indent + 2, inline: true);
                    break;
                case JsonArray { Count: > 0 } a:
                    WriteSequence(sb, a, indent + 2, inline: true);
                    break;
                default:
                    sb.Append(Scalar(item, indent + 2, indent + 2)).Append('\n');
                    break;
            }
        }
    }

    private static string Key(string key) => NeedsQuotes(key) ? Quoted(key, 0, -1) : key;

    /// <summary>go-yaml's choice for text that cannot be plain: double quotes for what would read back as another
    /// type (`"123"`, `"yes"`) or cannot be single-quoted (control characters), else single quotes (`'a: b'`).
    /// A negative <paramref name="column"/> means a key, which never folds.</summary>
    private static string Quoted(string s, int indent, int column) =>
        s.Length == 0 || YamlScalars.IsAmbiguous(s) || !SingleQuotable(s) ? DoubleQuoted(s, indent, column) : SingleQuoted(s, indent, column);

    private static bool SingleQuotable(string s)
    {
        foreach (var c in s)
        {
            if (c < ' ' || c == '\u007f' || c is '\u0085' or '\u2028' or '\u2029' or '\ufeff' || char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Single-quoted, quotes doubled; past column 80 a single inner space becomes a line break (go-yaml).</summary>
    private static string SingleQuoted(string s, int indent, int column)
    {
        var sb = new StringBuilder(s.Length + 8).Append('\'');
        var fold = column >= 0;
        column++;
        var spaces = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == ' ' && fold && !spaces && column > BestWidth && i > 0 && i < s.Length - 1 && s[i + 1] != ' ')
            {
                sb.Append('\n').Append(' ', indent);
                column = indent;
            }
            else
            {
                if (c == '\'')
                {
                    sb.Append('\'');
                    column++;
                }

                sb.Append(c);
                column++;
            }

            spaces = c == ' ';
        }

        return sb.Append('\'').ToString();
    }

    /// <summary>A scalar's text; <paramref name="column"/> is where it starts on its line (for folding).</summary>
    private static string Scalar(JsonNode? node, int contentIndent, int column)
    {
        switch (node)
        {
            case null:
                return "null";
            case JsonObject:
                return "{}";
            case JsonArray:
                return "[]";
        }

        var value = (JsonValue)node;
        switch (value.GetValueKind())
        {
            case JsonValueKind.True:
                return "true";
            case JsonValueKind.False:
                return "false";
            case JsonValueKind.Null:
                return "null";
            case JsonValueKind.Number:
                return Number(value);
            default:
                var s = value.GetValue<string>();
                if (s.Contains('\n', StringComparison.Ordinal) && CanBeLiteral(s))
                {
                    return Literal(s, contentIndent);
                }

                return NeedsQuotes(s) ? Quoted(s, contentIndent, column) : Plain(s, contentIndent, column);
        }
    }

    /// <summary>go-yaml's plain scalar writer: a single space met past column 80 (and not followed by another
    /// space) becomes a line break and the content indentation, which reads back as that one space.</summary>
    private static string Plain(string s, int indent, int column)
    {
        if (column + s.Length <= BestWidth + 1)
        {
            return s;
        }

        var sb = new StringBuilder(s.Length + 16);
        var spaces = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == ' ' && !spaces && column > BestWidth && i + 1 < s.Length && s[i + 1] != ' ')
            {
                sb.Append('\n').Append(' ', indent);
                column = indent;
            }
            else
            {
                sb.Append(c);
                column++;
            }

            spaces = c == ' ';
        }

        return sb.ToString();
    }

    private static string Number(JsonValue value)
    {
        if (value.TryGetValue<long>(out var l))
        {
            return l.ToString(CultureInfo.InvariantCulture);
        }

        if (value.TryGetValue<ulong>(out var u))
        {
            return u.ToString(CultureInfo.InvariantCulture);
        }

        if (value.TryGetValue<int>(out var i))
        {
            return i.ToString(CultureInfo.InvariantCulture);
        }

        if (value.TryGetValue<double>(out var d))
        {
            return YamlScalars.FormatDouble(d);
        }

        if (value.TryGetValue<decimal>(out var m))
        {
            return m.ToString(CultureInfo.InvariantCulture);
        }

        // A number parsed from JSON text: print its canonical text.
        var raw = value.ToJsonString();
        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && !raw.Contains('.', StringComparison.Ordinal) && !raw.Contains('e', StringComparison.OrdinalIgnoreCase)
            ? raw : YamlScalars.FormatDouble(parsed);
    }

    internal static bool NeedsQuotes(string s)
    {
        if (s.Length == 0 || YamlScalars.IsAmbiguous(s))
        {
            return true;
        }

        var first = s[0];
        if (first is ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`' or ' ' or '\t')
        {
            return true;
        }

        if (first is '-' or '?' or ':' && (s.Length == 1 || s[1] is ' ' or '\t'))
        {
            return true;
        }

        if (s.StartsWith("---", StringComparison.Ordinal) || s.StartsWith("...", StringComparison.Ordinal))
        {
            return true;
        }

        if (s[^1] is ' ' or '\t' or ':')
        {
            return true;
        }

        if (s.Contains(": ", StringComparison.Ordinal) || s.Contains(" #", StringComparison.Ordinal)
            || s.Contains(":\t", StringComparison.Ordinal) || s.Contains("\t#", StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var c in s)
        {
            if (c < ' ' || c == '\u007f' || c is '\u0085' or '\u2028' or '\u2029' or '\ufeff' || char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool CanBeLiteral(string s)
    {
        if (s[0] is ' ' or '\t' || s.Contains(" \n", StringComparison.Ordinal) || s.Contains("\n ", StringComparison.Ordinal) && s.StartsWith('\n'))
        {
            return false;
        }

        foreach (var c in s)
        {
            if ((c < ' ' && c != '\n' && c != '\t') || c == '\u007f' || c is '\u0085' or '\u2028' or '\u2029' or '\ufeff' or '\r')
            {
                return false;
            }
        }

        // A first line of only spaces, or a line starting with a space right at the start, needs an indentation indicator.
        return !s.Split('\n')[0].StartsWith(' ') && !s.EndsWith(' ');
    }

    private static string Literal(string s, int indent)
    {
        var trailing = s.Length - s.TrimEnd('\n').Length;
        var chomp = trailing == 0 ? "-" : trailing == 1 ? "" : "+";
        var body = trailing == 0 ? s : s[..^trailing];
        var sb = new StringBuilder("|").Append(chomp);
        var lines = body.Split('\n');
        // An indentation indicator only when the text starts with a space or an empty line (go-yaml's rule):
        // otherwise the first line fixes the indentation and later lines may start with spaces.
        if (body.Length > 0 && body[0] is ' ' or '\n')
        {
            sb.Insert(1, "2");
        }

        foreach (var line in lines)
        {
            sb.Append('\n');
            if (line.Length > 0)
            {
                sb.Append(' ', indent).Append(line);
            }
        }

        for (var i = 1; i < trailing; i++)
        {
            sb.Append('\n');
        }

        return sb.ToString();
    }

    internal static string DoubleQuoted(string s) => DoubleQuoted(s, 0, -1);

    /// <summary>Double-quoted with escapes; with a column (not a key), past column 80 a single inner space becomes
    /// a line break, and a `\` keeps a following space from being eaten as indentation (go-yaml).</summary>
    private static string DoubleQuoted(string s, int indent, int column)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        var fold = column >= 0;
        column++;
        var spaces = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            var before = sb.Length;
            if (c == ' ')
            {
                if (fold && !spaces && column > BestWidth && i > 0 && i < s.Length - 1)
                {
                    sb.Append('\n').Append(' ', indent);
                    column = indent;
                    if (s[i + 1] == ' ')
                    {
                        sb.Append('\\');
                        column++;
                    }
                }
                else
                {
                    sb.Append(' ');
                    column++;
                }

                spaces = true;
                continue;
            }

            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '"': sb.Append("\\\""); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                case '\0': sb.Append("\\0"); break;
                case '\u0085': sb.Append("\\N"); break;
                case '\u2028': sb.Append("\\L"); break;
                case '\u2029': sb.Append("\\P"); break;
                default:
                    if (c < ' ' || c == '\u007f' || c == '\ufeff')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }

            column += sb.Length - before;
            spaces = false;
        }

        return sb.Append('"').ToString();
    }
}
