using System.Globalization;
using System.Text;
using GitOps.Templating;

namespace GitOps.Rendering.Helm.Chart;

/// <summary>Helm's --set / --set-string syntax (pkg/strvals): a.b=c, lists a[0]=x and a={x,y}, backslash escapes,
/// type inference (true/false/null/int64; everything else a string; --set-string keeps strings).</summary>
internal sealed class StrVals
{
    private const int MaxIndex = 65536;
    private const int MaxNestedNameLevel = 30;
    private readonly string _s;
    private readonly bool _asString;
    private int _pos;

    private StrVals(string s, bool asString)
    {
        _s = s;
        _asString = asString;
    }

    public static void ParseInto(string s, Dictionary<string, object?> dest, bool asString)
    {
        var p = new StrVals(s, asString);
        while (!p.Key(dest, 0)) { }
    }

    private sealed class FormatError(string message) : Exception(message);

    public static string? TryParseInto(string s, Dictionary<string, object?> dest, bool asString)
    {
        try { ParseInto(s, dest, asString); return null; }
        catch (FormatError e) { return e.Message; }
    }

    private bool Eof => _pos >= _s.Length;

    /// <summary>Reads until one of the stop runes (consumed); backslash escapes. Returns the text and the stop (or null at EOF).</summary>
    private (string Text, char? Last) RunesUntil(string stop)
    {
        var sb = new StringBuilder();
        while (_pos < _s.Length)
        {
            var c = _s[_pos++];
            if (c == '\\')
            {
                if (_pos >= _s.Length) return (sb.ToString(), null);
                sb.Append(_s[_pos++]);
                continue;
            }
            if (stop.Contains(c, StringComparison.Ordinal)) return (sb.ToString(), c);
            sb.Append(c);
        }
        return (sb.ToString(), null);
    }

    private object? Typed(string val)
    {
        if (_asString) return val;
        if (val.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
        if (val.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
        if (val.Equals("null", StringComparison.OrdinalIgnoreCase)) return null;
        if (val == "0") return 0L;
        if (val.Length > 0 && val[0] != '0' && long.TryParse(val, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)) return i;
        return val;
    }

    private static void Set(Dictionary<string, object?> data, string key, object? val)
    {
        if (key.Length > 0) data[key] = val;
    }

    /// <summary>Parses one key=value; returns true at end of input.</summary>
    private bool Key(Dictionary<string, object?> data, int level)
    {
        var (k, last) = RunesUntil("=[,.");
        switch (last)
        {
            case null:
                if (k.Length == 0) return true;
                throw new FormatError($"key \"{k}\" has no value");
            case '[':
            {
                var i = KeyIndex();
                var list = data.GetValueOrDefault(k) as List<object?> ?? [];
                list = ListItem(list, i, level);
                Set(data, k, list);
                return Eof;
            }
            case '=':
            {
                var (vl, isList, eof) = ValList();
                if (isList) { Set(data, k, vl); return Eof; }
                if (eof) { Set(data, k, ""); return true; }
                var (rs, _) = RunesUntil(",");
                Set(data, k, Typed(rs));
                return Eof;
            }
            case ',':
                Set(data, k, "");
                throw new FormatError($"key \"{k}\" has no value (cannot end with ,)");
            default: // '.'
            {
                if (++level > MaxNestedNameLevel) throw new FormatError($"value name nested level is greater than maximum supported nested level of {MaxNestedNameLevel}");
                var inner = data.GetValueOrDefault(k) as Dictionary<string, object?> ?? GoValues.NewMap();
                var end = Key(inner, level);
                if (inner.Count == 0) throw new FormatError($"key map \"{k}\" has no value");
                Set(data, k, inner);
                return end;
            }
        }
    }

    private int KeyIndex()
    {
        var (v, _) = RunesUntil("]");
        if (!int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
            throw new FormatError($"strconv.Atoi: parsing {GoFormat.Quote(v)}: invalid syntax");
        return i;
    }

    private (List<object?> List, bool IsList, bool Eof) ValList()
    {
        if (Eof) return ([], false, true);
        if (_s[_pos] != '{') return ([], false, false);
        _pos++;
        var list = new List<object?>();
        while (true)
        {
            var (rs, last) = RunesUntil(",}");
            if (last is null) throw new FormatError("list must terminate with '}'");
            list.Add(Typed(rs));
            if (last == '}')
            {
                if (!Eof && _s[_pos] == ',') _pos++;
                return (list, true, false);
            }
        }
    }

    private static List<object?> SetIndex(List<object?> list, int index, object? val)
    {
        if (index < 0) throw new FormatError($"negative {index} index not allowed");
        if (index > MaxIndex) throw new FormatError($"index of {index} is greater than maximum supported index of {MaxIndex}");
        while (list.Count <= index) list.Add(null);
        list[index] = val;
        return list;
    }

    private List<object?> ListItem(List<object?> list, int i, int level)
    {
        if (i < 0) throw new FormatError($"negative {i} index not allowed");
        var (_, last) = RunesUntil("[.=");
        switch (last)
        {
            case null: throw new FormatError("unexpected end of input after list index");
            case '=':
            {
                var (vl, isList, eof) = ValList();
                if (isList) return SetIndex(list, i, vl);
                if (eof) return SetIndex(list, i, "");
                var (rs, _) = RunesUntil(",");
                return SetIndex(list, i, Typed(rs));
            }
            case '[':
            {
                var next = KeyIndex();
                var current = list.Count > i && list[i] is List<object?> l ? l : [];
                return SetIndex(list, i, ListItem(current, next, level));
            }
            default:
            {
                var inner = list.Count > i && list[i] is Dictionary<string, object?> m ? m : GoValues.NewMap();
                Key(inner, level);
                return SetIndex(list, i, inner);
            }
        }
    }
}
