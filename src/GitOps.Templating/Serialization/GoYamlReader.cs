using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlParser = YamlDotNet.Core.Parser;

namespace GitOps.Templating.Serialization;

/// <summary>A YAML document could not be read; Line/Column are 1-based when known.</summary>
public sealed class YamlReadException(string message, int? line = null, int? column = null) : Exception(message)
{
    public int? Line { get; } = line;
    public int? Column { get; } = column;
}

/// <summary>Reads YAML as go-yaml v2 resolves it (YAML 1.1 plain scalars, merge keys) into the Go value model.
/// With <c>numbersAsFloat</c> numbers become float64, as sigs.k8s.io/yaml's YAML→JSON→Go does for Helm values.</summary>
public static partial class GoYamlReader
{
    private const int MaxNodes = 2_000_000;

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    /// <summary>Parses all documents of a stream.</summary>
    internal static List<object?> ReadAll(string text, bool numbersAsFloat)
    {
        // go-yaml (libyaml) does not check the indentation of a quoted scalar's continuation lines; YamlDotNet
        // refuses one less indented than its block. Indenting such lines changes no value (a quoted scalar's line
        // prefix is folded away), so each refused scalar is re-indented and the text read again.
        for (var attempt = 0; ; attempt++)
        {
            try { return Parse(text, numbersAsFloat); }
            catch (YamlException e) when (attempt < MaxReindents && e.Message.StartsWith("While scanning a multi-line", StringComparison.Ordinal)
                && e.Message.EndsWith("found wrong indentation.", StringComparison.Ordinal) && ReindentQuoted(text, (int)e.Start.Index) is { } reindented)
            {
                text = reindented;
            }
            catch (YamlException e)
            {
                var line = (int)e.Start.Line;
                throw new YamlReadException($"yaml: line {line}: {e.Message}", line, (int)e.Start.Column);
            }
        }
    }

    private const int MaxReindents = 1000;

    /// <summary>The text with every continuation line of the quoted scalar opening at <paramref name="quote"/>
    /// indented past the opening quote; null when there is no such scalar or nothing to change.</summary>
    internal static string? ReindentQuoted(string text, int quote)
    {
        if (quote < 0 || quote >= text.Length || text[quote] is not ('"' or '\'')) return null;
        var lineStart = text.LastIndexOf('\n', Math.Max(quote - 1, 0)) + 1;
        var need = quote - lineStart + 1;
        var sb = new System.Text.StringBuilder(text.Length + 64).Append(text, 0, quote + 1);
        var changed = false;
        for (var i = quote + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (text[quote] == '"' && c == '\\' && i + 1 < text.Length && text[i + 1] != '\n') { sb.Append(c).Append(text[++i]); continue; }
            if (c == text[quote])
            {
                if (c == '\'' && i + 1 < text.Length && text[i + 1] == '\'') { sb.Append("''"); i++; continue; }
                return changed ? sb.Append(text, i, text.Length - i).ToString() : null;
            }
            sb.Append(c);
            if (c != '\n') continue;
            var indent = 0;
            while (i + 1 + indent < text.Length && text[i + 1 + indent] == ' ') indent++;
            var rest = i + 1 + indent < text.Length ? text[i + 1 + indent] : '\n';
            if (indent < need && rest is not ('\n' or '\r'))
            {
                sb.Append(' ', need - indent);
                changed = true;
            }
        }
        return null;
    }

    private static List<object?> Parse(string text, bool numbersAsFloat)
    {
        var parser = new YamlParser(new StringReader(text));
        var state = new State(numbersAsFloat);
        var docs = new List<object?>();
        parser.Consume<StreamStart>();
        while (parser.TryConsume<DocumentStart>(out _))
        {
            state.Anchors.Clear();
            docs.Add(ReadNode(parser, state));
            parser.Consume<DocumentEnd>();
        }
        parser.Consume<StreamEnd>();
        return docs;
    }

    /// <summary>Parses a single document (empty text is null).</summary>
    public static object? Read(string text, bool numbersAsFloat)
    {
        var docs = ReadAll(text, numbersAsFloat);
        return docs.Count == 0 ? null : docs[0];
    }

    private sealed class State(bool numbersAsFloat)
    {
        public bool NumbersAsFloat { get; } = numbersAsFloat;
        public Dictionary<string, object?> Anchors { get; } = new(StringComparer.Ordinal);
        public int Nodes { get; set; }
        public int Depth { get; set; }
    }

    private static object? ReadNode(IParser parser, State state)
    {
        if (++state.Nodes > MaxNodes) throw new YamlReadException("yaml: document is too large (too many nodes or alias expansions)");
        var ev = parser.Consume<ParsingEvent>();
        object? value;
        switch (ev)
        {
            case AnchorAlias alias:
                if (!state.Anchors.TryGetValue(alias.Value.Value, out var target))
                    throw new YamlReadException($"yaml: unknown anchor '{alias.Value.Value}' referenced", (int)alias.Start.Line);
                state.Nodes += CountNodes(target);
                if (state.Nodes > MaxNodes) throw new YamlReadException("yaml: document is too large (too many nodes or alias expansions)");
                return GoValues.DeepCopy(target);
            case Scalar scalar:
                value = Resolve(scalar, state.NumbersAsFloat);
                break;
            case SequenceStart or MappingStart when ++state.Depth > 1000 || !System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack():
                throw new YamlReadException("yaml: document is nested too deeply", (int)ev.Start.Line);
            case SequenceStart:
            {
                var list = new List<object?>();
                while (!parser.TryConsume<SequenceEnd>(out _)) list.Add(ReadNode(parser, state));
                state.Depth--;
                value = list;
                break;
            }
            case MappingStart:
            {
                var map = GoValues.NewMap();
                var merges = new List<object?>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyEvent = parser.Current;
                    var key = ReadNode(parser, state);
                    var item = ReadNode(parser, state);
                    if (keyEvent is Scalar { Value: "<<", Style: ScalarStyle.Plain }) { merges.Add(item); continue; }
                    map[KeyString(key)] = item;
                }
                foreach (var m in merges) ApplyMerge(map, m);
                state.Depth--;
                value = map;
                break;
            }
            default:
                throw new YamlReadException("yaml: unexpected event");
        }
        if (ev is NodeEvent { Anchor.IsEmpty: false } ne) state.Anchors[ne.Anchor.Value] = value;
        return value;
    }

    private static int CountNodes(object? v) => v switch
    {
        Dictionary<string, object?> m => 1 + m.Values.Sum(CountNodes),
        List<object?> l => 1 + l.Sum(CountNodes),
        _ => 1,
    };

    private static void ApplyMerge(Dictionary<string, object?> map, object? merge)
    {
        switch (merge)
        {
            case Dictionary<string, object?> m:
                foreach (var (k, v) in m) map.TryAdd(k, v);
                break;
            case List<object?> l:
                foreach (var item in l)
                {
                    if (item is not Dictionary<string, object?> mm) throw new YamlReadException("yaml: map merge requires map or sequence of maps as the value");
                    foreach (var (k, v) in mm) map.TryAdd(k, v);
                }
                break;
            default: throw new YamlReadException("yaml: map merge requires map or sequence of maps as the value");
        }
    }

    /// <summary>JSON object keys: non-string YAML keys are printed as sigs.k8s.io/yaml does.</summary>
    private static string KeyString(object? key) => key switch
    {
        string s => s,
        null => "null",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d == Math.Floor(d) && Math.Abs(d) < 1e15 ? ((long)d).ToString(CultureInfo.InvariantCulture) : GoFormat.FormatFloat(d, 'g', -1),
        _ => GoFormat.Value(key),
    };

    private static object? Resolve(Scalar scalar, bool numbersAsFloat)
    {
        var text = scalar.Value;
        var tag = scalar.Tag.IsEmpty ? "" : scalar.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" or "!!str") return text;
        if (scalar.Style != ScalarStyle.Plain && tag.Length == 0) return text;
        if (tag is "tag:yaml.org,2002:binary" or "!!binary") return text;
        var resolved = ResolvePlain(text);
        if (numbersAsFloat && resolved is long l) return (double)l;
        if (numbersAsFloat && resolved is ulong u) return (double)u;
        if (resolved is ulong u2) return (double)u2;
        if (tag is "tag:yaml.org,2002:float" or "!!float" && resolved is long l2) return (double)l2;
        return resolved;
    }

    /// <summary>go-yaml v2's resolve() for an untagged plain scalar (timestamps stay strings).</summary>
    internal static object? ResolvePlain(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON": return true;
            case "n" or "N" or "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF": return false;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF": return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF": return double.NegativeInfinity;
            case ".nan" or ".NaN" or ".NAN": return double.NaN;
        }
        var c = text[0];
        if (c is not ('+' or '-' or '.' or (>= '0' and <= '9'))) return text;
        var plain = text.Replace("_", "", StringComparison.Ordinal);
        if (TryParseGoInt(plain, out var i)) return i;
        if (TryParseGoUint(plain, out var u)) return u;
        if (FloatPattern().IsMatch(plain) &&
            double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var f)) return f;
        if (plain.StartsWith("0b", StringComparison.Ordinal) || plain.StartsWith("-0b", StringComparison.Ordinal))
        {
            var neg = plain[0] == '-';
            try { var v = Convert.ToInt64(plain[(neg ? 3 : 2)..], 2); return neg ? -v : v; }
            catch (FormatException) { }
            catch (ArgumentException) { }
            catch (OverflowException) { }
        }
        return text;
    }

    /// <summary>strconv.ParseInt(s, 0, 64): optional sign, 0x/0o/0b prefixes, leading 0 = octal.</summary>
    internal static bool TryParseGoInt(string s, out long value) => Parser.TryParseInt(s, out value) && s.Length > 0 && !s.EndsWith('_');

    private static bool TryParseGoUint(string s, out ulong value)
    {
        value = 0;
        if (s.StartsWith('-')) return false;
        return ulong.TryParse(s.TrimStart('+'), NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
