using System.Globalization;
using System.Text;

namespace GitOps.Templating.Serialization;

/// <summary>Writes values as Helm's toYaml does: Go value → JSON (sorted keys, float64 numbers) → go-yaml v2
/// emitter (block style, sequences not indented inside mappings, YAML 1.1-aware quoting, 80-column folding).</summary>
public static class GoYamlWriter
{
    private const int BestWidth = 80;

    public static string Write(object? value, bool indentSequences = false)
    {
        var sb = new StringBuilder();
        var w = new Writer(indentSequences);
        var v = Normalize(value);
        switch (v)
        {
            case Dictionary<string, object?> m when m.Count > 0: w.WriteMap(sb, m, 0); break;
            case List<object?> l when l.Count > 0: w.WriteList(sb, l, 0); break;
            default: WriteScalarOrEmpty(sb, v, 0, 0, fold: !indentSequences); sb.Append('\n'); break;
        }
        return sb.ToString();
    }

    /// <summary>The JSON round trip: objects expose their JSON form, byte arrays become base64.</summary>
    private static object? Normalize(object? v) => v switch
    {
        NoValue => null,
        Dictionary<string, object?> => v,
        List<object?> => v,
        byte[] b => Convert.ToBase64String(b),
        IJsonValue j => j.ToJsonValue(),
        DateTimeOffset t => GoTime.Format(t, "2006-01-02T15:04:05.999999999Z07:00"),
        _ => v,
    };

    /// <summary>indentSequences + no folding is yaml.v3 with SetIndent(2) (Helm's toYamlPretty).</summary>
    private sealed class Writer(bool indentSequences)
    {

    public void WriteMap(StringBuilder sb, Dictionary<string, object?> map, int indent)
    {
        var first = true;
        foreach (var key in GoValues.SortedKeys(map))
        {
            if (!first) sb.Append(' ', indent);
            first = false;
            var keyStart = sb.Length;
            WriteString(sb, key, indent, 0, isKey: true, fold: false);
            sb.Append(':');
            WriteValueAfter(sb, Normalize(map[key]), indent, inMap: true, column: sb.Length - keyStart + indent + 1);
        }
    }

    public void WriteList(StringBuilder sb, List<object?> list, int indent)
    {
        var first = true;
        foreach (var item in list)
        {
            if (!first) sb.Append(' ', indent);
            first = false;
            sb.Append('-');
            var v = Normalize(item);
            switch (v)
            {
                case Dictionary<string, object?> m when m.Count > 0:
                    sb.Append(' ');
                    WriteMap(sb, m, indent + 2);
                    break;
                case List<object?> l when l.Count > 0:
                    sb.Append(' ');
                    WriteList(sb, l, indent + 2);
                    break;
                default:
                    sb.Append(' ');
                    WriteScalarOrEmpty(sb, v, indent + 2, indent + 2, !indentSequences);
                    sb.Append('\n');
                    break;
            }
        }
    }

    private void WriteValueAfter(StringBuilder sb, object? v, int indent, bool inMap, int column)
    {
        switch (v)
        {
            case Dictionary<string, object?> m when m.Count > 0:
                sb.Append('\n').Append(' ', indent + 2);
                WriteMap(sb, m, indent + 2);
                return;
            case List<object?> l when l.Count > 0:
                // go-yaml v2 does not indent a sequence inside a mapping.
                var seqIndent = indentSequences ? indent + 2 : indent;
                sb.Append('\n').Append(' ', seqIndent);
                WriteList(sb, l, seqIndent);
                return;
            default:
                sb.Append(' ');
                WriteScalarOrEmpty(sb, v, indent + 2, column, !indentSequences);
                sb.Append('\n');
                _ = inMap;
                return;
        }
    }
    }

    private static void WriteScalarOrEmpty(StringBuilder sb, object? v, int indent, int column, bool fold)
    {
        switch (v)
        {
            case null: sb.Append("null"); return;
            case Dictionary<string, object?>: sb.Append("{}"); return;
            case List<object?>: sb.Append("[]"); return;
            case bool b: sb.Append(b ? "true" : "false"); return;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); return;
            case int i: sb.Append(i.ToString(CultureInfo.InvariantCulture)); return;
            case double d: sb.Append(FormatNumber(d)); return;
            case string s: WriteString(sb, s, indent, column, isKey: false, fold); return;
            default: WriteString(sb, GoFormat.Value(v), indent, column, isKey: false, fold); return;
        }
    }

    /// <summary>A float64 after the JSON round trip: integral values print as integers, others as 'g'.</summary>
    public static string FormatNumber(double d)
    {
        if (double.IsNaN(d)) return ".nan";
        if (double.IsPositiveInfinity(d)) return ".inf";
        if (double.IsNegativeInfinity(d)) return "-.inf";
        if (d == Math.Floor(d) && Math.Abs(d) < 1e21)
        {
            if (Math.Abs(d) < 9.2e18) return ((long)d).ToString(CultureInfo.InvariantCulture);
            if (d > 0 && d < 1.8e19) return ((ulong)d).ToString(CultureInfo.InvariantCulture);
        }
        return GoFormat.FormatFloat(d, 'g', -1);
    }

    private static void WriteString(StringBuilder sb, string s, int indent, int column, bool isKey, bool fold)
    {
        var style = ChooseStyle(s, isKey);
        switch (style)
        {
            case Style.Plain: WriteFolded(sb, s, indent, column, allowBreaks: !isKey && fold); return;
            case Style.Single:
                sb.Append('\'');
                WriteFolded(sb, s.Replace("'", "''", StringComparison.Ordinal), indent, column + 1, allowBreaks: !isKey && fold);
                sb.Append('\'');
                return;
            case Style.Literal: WriteLiteral(sb, s, indent); return;
            default: WriteDoubleQuoted(sb, s); return;
        }
    }

    private enum Style { Plain, Single, Double, Literal }

    private static Style ChooseStyle(string s, bool isKey)
    {
        if (s.Contains('\n', StringComparison.Ordinal))
        {
            if (isKey) return Style.Double;
            var a = Analyze(s);
            return a.BlockAllowed ? Style.Literal : Style.Double;
        }
        // Strings that would read back as another type are double-quoted by go-yaml.
        if (ResolvesToNonString(s)) return Style.Double;
        var an = Analyze(s);
        if (an.PlainAllowed) return Style.Plain;
        if (an.SingleAllowed) return Style.Single;
        return Style.Double;
    }

    private static bool ResolvesToNonString(string s)
    {
        if (s.Length == 0) return true;
        if (GoYamlReader.ResolvePlain(s) is not string) return true;
        // timestamps (YYYY-MM-DD...) resolve to !!timestamp in go-yaml
        if (s.Length >= 10 && char.IsAsciiDigit(s[0]) && IsTimestamp(s)) return true;
        // base 60 floats ("1:20") are quoted for YAML 1.1 readers
        return IsBase60(s);
    }

    private static bool IsTimestamp(string s)
    {
        string[] formats = ["yyyy-M-d'T'H:m:s.FFFFFFFFFK", "yyyy-M-d't'H:m:s.FFFFFFFFFK", "yyyy-M-d H:m:s.FFFFFFFFFK", "yyyy-M-d H:m:s.FFFFFFFFF", "yyyy-M-d"];
        return s.Length >= 10 && s[4] == '-' &&
            DateTime.TryParseExact(s, formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowInnerWhite, out _);
    }

    private static bool IsBase60(string s)
    {
        var t = s.TrimStart('+', '-');
        if (t.Length == 0 || !char.IsAsciiDigit(t[0]) || !t.Contains(':', StringComparison.Ordinal)) return false;
        var parts = t.Split(':');
        if (parts[0].Any(ch => !char.IsAsciiDigit(ch) && ch != '_')) return false;
        for (var i = 1; i < parts.Length; i++)
        {
            var p = parts[i];
            if (i == parts.Length - 1 && p.Contains('.', StringComparison.Ordinal)) p = p[..p.IndexOf('.', StringComparison.Ordinal)];
            if (p.Length is < 1 or > 2 || p.Any(ch => !char.IsAsciiDigit(ch)) || (p.Length == 2 && p[0] > '5')) return false;
        }
        return true;
    }

    private readonly record struct Analysis(bool PlainAllowed, bool SingleAllowed, bool BlockAllowed);

    /// <summary>The emitter's scalar analysis (which styles can represent the text).</summary>
    private static Analysis Analyze(string s)
    {
        if (s.Length == 0) return new(false, true, false);
        bool flowInd = false, blockInd = false, specialChars = false, lineBreaks = false;
        bool leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
        bool breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
        if (s.StartsWith("---", StringComparison.Ordinal) || s.StartsWith("...", StringComparison.Ordinal)) { blockInd = true; flowInd = true; }
        var precededByWs = true;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            var followedByWs = i + 1 >= s.Length || s[i + 1] is ' ' or '\t' or '\r' or '\n';
            if (i == 0)
            {
                switch (c)
                {
                    case '#' or ',' or '[' or ']' or '{' or '}' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`':
                        flowInd = true; blockInd = true; break;
                    case '?' or ':':
                        flowInd = true;
                        if (followedByWs) blockInd = true;
                        break;
                    case '-':
                        if (followedByWs) { flowInd = true; blockInd = true; }
                        break;
                }
            }
            else
            {
                switch (c)
                {
                    case ',' or '?' or '[' or ']' or '{' or '}': flowInd = true; break;
                    case ':':
                        flowInd = true;
                        if (followedByWs) blockInd = true;
                        break;
                    case '#':
                        if (precededByWs) { flowInd = true; blockInd = true; }
                        break;
                }
            }
            if (!IsPrintable(c)) specialChars = true;
            if (c == '\n') lineBreaks = true;
            if (c == ' ')
            {
                if (i == 0) leadingSpace = true;
                if (i == s.Length - 1) trailingSpace = true;
                if (previousBreak) breakSpace = true;
                previousSpace = true;
                previousBreak = false;
            }
            else if (c is '\n' or '\r')
            {
                if (i == 0) leadingBreak = true;
                if (i == s.Length - 1) trailingBreak = true;
                if (previousSpace) spaceBreak = true;
                previousSpace = false;
                previousBreak = true;
            }
            else
            {
                previousSpace = false;
                previousBreak = false;
            }
            precededByWs = c is ' ' or '\t' or '\r' or '\n';
        }
        bool plain = true, single = true, block = true;
        if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) plain = false;
        if (trailingSpace) block = false;
        if (breakSpace) { plain = false; single = false; }
        if (spaceBreak || specialChars) { plain = false; single = false; block = false; }
        if (lineBreaks) plain = false;
        if (blockInd) plain = false;
        _ = flowInd;
        return new(plain, single, block);
    }

    /// <summary>go-yaml v2's is_printable: of the controls only '\n'; tab, CR and NEL are not, nor is anything beyond
    /// the Basic Multilingual Plane (so "\t" and emoji are double-quoted and escaped, as Helm's toYaml prints them).</summary>
    private static bool IsPrintable(char c) =>
        c == '\n' || (c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF);

    /// <summary>Plain/single-quoted text, breaking at a space once past column 80 (go-yaml's best_width).</summary>
    private static void WriteFolded(StringBuilder sb, string s, int indent, int column, bool allowBreaks)
    {
        var spaces = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == ' ')
            {
                if (allowBreaks && !spaces && column > BestWidth && i + 1 < s.Length && s[i + 1] != ' ')
                {
                    sb.Append('\n').Append(' ', indent);
                    column = indent;
                }
                else { sb.Append(c); column++; }
                spaces = true;
            }
            else
            {
                sb.Append(c);
                column++;
                spaces = false;
            }
        }
    }

    private static void WriteLiteral(StringBuilder sb, string s, int indent)
    {
        sb.Append('|');
        if (s.Length > 0 && s[0] is ' ' or '\n') sb.Append('2');
        var trailing = 0;
        for (var i = s.Length - 1; i >= 0 && s[i] == '\n'; i--) trailing++;
        if (trailing == 0) sb.Append('-');
        else if (trailing > 1 || s.Length == trailing) sb.Append('+');
        var body = trailing > 0 ? s[..^1] : s;
        foreach (var line in body.Split('\n'))
        {
            sb.Append('\n');
            if (line.Length > 0) sb.Append(' ', indent).Append(line);
        }
    }

    private static void WriteDoubleQuoted(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var r in s.EnumerateRunes())
        {
            var v = r.Value;
            switch (v)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case 0: sb.Append("\\0"); break;
                case 7: sb.Append("\\a"); break;
                case 8: sb.Append("\\b"); break;
                case 9: sb.Append("\\t"); break;
                case 10: sb.Append("\\n"); break;
                case 11: sb.Append("\\v"); break;
                case 12: sb.Append("\\f"); break;
                case 13: sb.Append("\\r"); break;
                case 0x1B: sb.Append("\\e"); break;
                case 0x85: sb.Append("\\N"); break;
                case 0x2028: sb.Append("\\L"); break;
                case 0x2029: sb.Append("\\P"); break;
                default:
                    // Printable characters go out as they are (0xA0 too); the rest as \xXX, \uXXXX or \UXXXXXXXX.
                    if (v < 0x20 || v is 0x7F or 0xFEFF or 0xFFFE or 0xFFFF || (v >= 0x80 && v < 0xA0))
                        sb.Append(v <= 0xFF ? "\\x" + v.ToString("X2", CultureInfo.InvariantCulture) : "\\u" + v.ToString("X4", CultureInfo.InvariantCulture));
                    else if (v > 0xFFFF) sb.Append("\\U").Append(v.ToString("X8", CultureInfo.InvariantCulture));
                    else sb.Append(r.ToString());
                    break;
            }
        }
        sb.Append('"');
    }
}
