using System.Globalization;
using System.Text;

namespace GitOps.Templating.Serialization;

/// <summary>A TOML read/write failed.</summary>
internal sealed class TomlException(string message) : Exception(message);

/// <summary>TOML for Helm's toToml/fromToml: the BurntSushi encoder's layout (scalars first, then [tables] with
/// keys indented two spaces per level, [[arrays of tables]]) and a reader for the common subset of TOML.</summary>
internal static class Toml
{
    public static string Write(Dictionary<string, object?> map)
    {
        var sb = new StringBuilder();
        WriteTable(sb, map, []);
        return sb.ToString();
    }

    private static void WriteTable(StringBuilder sb, Dictionary<string, object?> map, List<string> path)
    {
        var indent = new string(' ', Math.Max(0, path.Count) * 2);
        var keys = GoValues.SortedKeys(map).ToList();
        foreach (var k in keys)
        {
            var v = GoValues.Unwrap(map[k]);
            if (v is null || v is Dictionary<string, object?> || IsTableArray(v)) continue;
            sb.Append(indent).Append(Key(k)).Append(" = ").Append(Value(v)).Append('\n');
        }
        foreach (var k in keys)
        {
            var v = GoValues.Unwrap(map[k]);
            List<string> sub = [.. path, k];
            var header = new string(' ', path.Count * 2);
            if (v is Dictionary<string, object?> m)
            {
                if (sb.Length > 0) sb.Append('\n');
                sb.Append(header).Append('[').Append(string.Join('.', sub.Select(Key))).Append("]\n");
                WriteTable(sb, m, sub);
            }
            else if (IsTableArray(v))
            {
                foreach (var item in (List<object?>)v!)
                {
                    if (sb.Length > 0) sb.Append('\n');
                    sb.Append(header).Append("[[").Append(string.Join('.', sub.Select(Key))).Append("]]\n");
                    WriteTable(sb, (Dictionary<string, object?>)item!, sub);
                }
            }
        }
    }

    private static bool IsTableArray(object? v) => v is List<object?> { Count: > 0 } l && l.All(x => x is Dictionary<string, object?>);

    private static string Key(string k) => k.Length > 0 && k.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? k : Quote(k);

    private static string Value(object? v) => v switch
    {
        string s => Quote(s),
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d when d == Math.Truncate(d) && !double.IsInfinity(d) => d.ToString("F1", CultureInfo.InvariantCulture),
        double d => GoFormat.FormatFloat(d, 'f', -1),
        List<object?> l => "[" + string.Join(", ", l.Select(Value)) + "]",
        Dictionary<string, object?> m => "{" + string.Join(", ", GoValues.SortedKeys(m).Select(k => Key(k) + " = " + Value(m[k]))) + "}",
        _ => Quote(GoFormat.Value(v)),
    };

    private static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\t' => "\\t", '\r' => "\\r", '\b' => "\\b", '\f' => "\\f",
                < ' ' or '\x7f' => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }

    public static Dictionary<string, object?> Read(string text) => new Reader(text).Parse();

    private sealed class Reader(string text)
    {
        private int _pos;
        private int _line = 1;

        private TomlException Error(string message) => new($"toml: line {_line}: {message}");

        private char Peek => _pos < text.Length ? text[_pos] : '\0';

        private void SkipSpaces() { while (_pos < text.Length && text[_pos] is ' ' or '\t') _pos++; }

        private void SkipLineEnd()
        {
            SkipSpaces();
            if (Peek == '#') while (_pos < text.Length && text[_pos] != '\n') _pos++;
            if (Peek == '\r') _pos++;
            if (_pos < text.Length && text[_pos] != '\n') throw Error($"expected a top-level item to end with a newline, comment, or EOF, but got '{text[_pos]}' instead");
            if (_pos < text.Length) { _pos++; _line++; }
        }

        public Dictionary<string, object?> Parse()
        {
            var root = GoValues.NewMap();
            var current = root;
            while (_pos < text.Length)
            {
                SkipSpaces();
                var c = Peek;
                if (c is '\n' or '\r' or '#') { SkipLineEnd(); continue; }
                if (c == '[')
                {
                    var array = _pos + 1 < text.Length && text[_pos + 1] == '[';
                    _pos += array ? 2 : 1;
                    var keys = KeyPath(array ? "]]" : "]");
                    _pos += array ? 2 : 1;
                    current = array ? AppendTable(root, keys) : Table(root, keys);
                    SkipLineEnd();
                    continue;
                }
                var path = KeyPath("=");
                if (Peek != '=') throw Error("unexpected EOF; expected key separator '='");
                _pos++;
                SkipSpaces();
                var target = path.Count > 1 ? Table(current, path[..^1]) : current;
                target[path[^1]] = ReadValue();
                SkipLineEnd();
            }
            return root;
        }

        private List<string> KeyPath(string end)
        {
            var keys = new List<string>();
            while (true)
            {
                SkipSpaces();
                if (Peek is '"' or '\'') keys.Add(ReadString());
                else
                {
                    var start = _pos;
                    while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '_' or '-')) _pos++;
                    if (_pos == start) throw _pos >= text.Length || text[_pos] == '\n' ? Error($"unexpected EOF; expected key separator '='") : Error($"bare keys cannot contain '{Peek}'");
                    keys.Add(text[start.._pos]);
                }
                SkipSpaces();
                if (Peek == '.') { _pos++; continue; }
                if (string.CompareOrdinal(text, _pos, end, 0, end.Length) == 0 || (end == "=" && Peek == '=')) return keys;
                throw Error(_pos >= text.Length || Peek == '\n' ? "unexpected EOF; expected key separator '='" : $"expected '{end}', got '{Peek}'");
            }
        }

        private static Dictionary<string, object?> Table(Dictionary<string, object?> root, List<string> keys)
        {
            var t = root;
            foreach (var k in keys)
            {
                t = t.GetValueOrDefault(k) switch
                {
                    Dictionary<string, object?> m => m,
                    List<object?> { Count: > 0 } l when l[^1] is Dictionary<string, object?> last => last,
                    _ => (Dictionary<string, object?>)(t[k] = GoValues.NewMap())!,
                };
            }
            return t;
        }

        private static Dictionary<string, object?> AppendTable(Dictionary<string, object?> root, List<string> keys)
        {
            var parent = Table(root, keys[..^1]);
            if (parent.GetValueOrDefault(keys[^1]) is not List<object?> list) parent[keys[^1]] = list = [];
            var m = GoValues.NewMap();
            list.Add(m);
            return m;
        }

        private object? ReadValue()
        {
            var c = Peek;
            if (c is '"' or '\'') return ReadString();
            if (c == '[')
            {
                _pos++;
                var list = new List<object?>();
                while (true)
                {
                    while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) { if (text[_pos] == '\n') _line++; _pos++; }
                    if (Peek == ']') { _pos++; return list; }
                    list.Add(ReadValue());
                    while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) { if (text[_pos] == '\n') _line++; _pos++; }
                    if (Peek == ',') { _pos++; continue; }
                    if (Peek == ']') { _pos++; return list; }
                    throw Error("expected a comma or array terminator");
                }
            }
            if (c == '{')
            {
                _pos++;
                var m = GoValues.NewMap();
                while (true)
                {
                    SkipSpaces();
                    if (Peek == '}') { _pos++; return m; }
                    var path = KeyPath("=");
                    _pos++;
                    SkipSpaces();
                    var target = path.Count > 1 ? Table(m, path[..^1]) : m;
                    target[path[^1]] = ReadValue();
                    SkipSpaces();
                    if (Peek == ',') { _pos++; continue; }
                    if (Peek == '}') { _pos++; return m; }
                    throw Error("expected a comma or an inline table terminator '}'");
                }
            }
            var start = _pos;
            while (_pos < text.Length && text[_pos] is not (',' or ']' or '}' or '\n' or '\r' or '#')) _pos++;
            var raw = text[start.._pos].Trim();
            switch (raw)
            {
                case "true": return true;
                case "false": return false;
                case "inf" or "+inf": return double.PositiveInfinity;
                case "-inf": return double.NegativeInfinity;
                case "nan" or "+nan" or "-nan": return double.NaN;
            }
            var clean = raw.Replace("_", "", StringComparison.Ordinal);
            if (Parser.TryParseInt(clean.StartsWith('0') && clean.Length > 1 && char.IsAsciiDigit(clean[1]) ? "x" : clean, out var l)) return l;
            if (double.TryParse(clean, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
            if (raw.Length >= 10 && char.IsAsciiDigit(raw[0])) return raw;
            throw Error($"invalid value {GoFormat.Quote(raw)}");
        }

        private string ReadString()
        {
            var quote = text[_pos++];
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= text.Length || text[_pos] == '\n') throw Error("unexpected EOF; expected '" + quote + "'");
                var c = text[_pos++];
                if (c == quote) return sb.ToString();
                if (c == '\\' && quote == '"' && _pos < text.Length)
                {
                    var e = text[_pos++];
                    switch (e)
                    {
                        case 'n': sb.Append('\n'); break;
                        case 't': sb.Append('\t'); break;
                        case 'r': sb.Append('\r'); break;
                        case 'b': sb.Append('\b'); break;
                        case 'f': sb.Append('\f'); break;
                        case 'u' or 'U':
                            var n = e == 'u' ? 4 : 8;
                            if (_pos + n > text.Length || !int.TryParse(text.AsSpan(_pos, n), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                                throw Error("invalid unicode escape");
                            sb.Append(char.ConvertFromUtf32(code));
                            _pos += n;
                            break;
                        default: sb.Append(e); break;
                    }
                    continue;
                }
                sb.Append(c);
            }
        }
    }
}
