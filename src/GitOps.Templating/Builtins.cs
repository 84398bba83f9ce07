using System.Text;

namespace GitOps.Templating;

/// <summary>text/template's predefined functions.</summary>
internal static class Builtins
{
    /// <summary>and/or are evaluated lazily by the executor; this body is never called.</summary>
    public static readonly GoFunc LazyMarker = static (_, _) => null;

    public static void Register(IDictionary<string, GoFunction> t)
    {
        void Add(string name, string sig, GoFunc f) => t[name] = GoFunction.Of(name, sig, f);
        Add("and", "aa*", LazyMarker);
        Add("or", "aa*", LazyMarker);
        Add("not", "a", (_, a) => !GoValues.Truth(a[0]));
        Add("len", "a", (_, a) => Len(a[0]));
        Add("index", "aa*", (_, a) => Index(a[0], a.AsSpan(1)));
        Add("slice", "aa*", (_, a) => Slice(a[0], a.AsSpan(1)));
        Add("print", "a*", (_, a) => GoFormat.Sprint(a));
        Add("printf", "sa*", (_, a) => GoFormat.Sprintf((string)a[0]!, a[1..]));
        Add("println", "a*", (_, a) => GoFormat.Sprintln(a));
        Add("html", "a*", (_, a) => HtmlEscape(EvalArgs(a)));
        Add("js", "a*", (_, a) => JsEscape(EvalArgs(a)));
        Add("urlquery", "a*", (_, a) => Uri.EscapeDataString(EvalArgs(a)).Replace("%20", "+", StringComparison.Ordinal));
        Add("call", "aa*", (_, a) => throw new FunctionException(a[0] is null ? "call of nil" : $"non-function of type {GoValues.TypeName(a[0])}"));
        Add("eq", "aa*", (_, a) => Eq(a[0], a.AsSpan(1)));
        Add("ne", "aa", (_, a) => !Eq(a[0], a.AsSpan(1)));
        Add("lt", "aa", (_, a) => Lt(a[0], a[1]));
        Add("le", "aa", (_, a) => Lt(a[0], a[1]) || Eq(a[0], a.AsSpan(1)));
        Add("gt", "aa", (_, a) => !(Lt(a[0], a[1]) || Eq(a[0], a.AsSpan(1))));
        Add("ge", "aa", (_, a) => !Lt(a[0], a[1]));
    }

    private static string EvalArgs(object?[] a) =>
        a.Length == 1 && a[0] is string s ? s : GoFormat.Sprint(a.Select(x => x is null or NoValue ? "<no value>" : x).ToArray());

    private static object Len(object? v) => v switch
    {
        string s => (long)GoValues.Utf8Length(s),
        List<object?> l => (long)l.Count,
        Dictionary<string, object?> m => (long)m.Count,
        byte[] b => (long)b.Length,
        null => throw new FunctionException("len of nil pointer"),
        _ => throw new FunctionException($"len of type {GoValues.TypeName(v)}"),
    };

    private static long IndexArg(object? index, int cap) => index switch
    {
        long x when x < 0 || x > cap => throw new FunctionException($"index out of range: {x}"),
        long x => x,
        null => throw new FunctionException("cannot index slice/array with nil"),
        _ => throw new FunctionException($"cannot index slice/array with type {GoValues.TypeName(index)}"),
    };

    private static object? Index(object? item, ReadOnlySpan<object?> indexes)
    {
        if (item is null) throw new FunctionException("index of untyped nil");
        var first = true;
        foreach (var index in indexes)
        {
            if (item is null && !first) throw new FunctionException("index of nil pointer");
            first = false;
            switch (item)
            {
                case List<object?> l:
                {
                    var x = IndexArg(index, l.Count);
                    if (x >= l.Count) throw new FunctionException($"reflect: slice index out of range");
                    item = l[(int)x];
                    break;
                }
                case string s:
                {
                    var bytes = Encoding.UTF8.GetBytes(s);
                    var x = IndexArg(index, bytes.Length);
                    if (x >= bytes.Length) throw new FunctionException($"reflect: string index out of range");
                    item = (long)bytes[x];
                    break;
                }
                case Dictionary<string, object?> m:
                    if (index is not string key)
                        throw new FunctionException(index is null ? "value is nil; should be of type string" : $"value has type {GoValues.TypeName(index)}; should be string");
                    item = m.GetValueOrDefault(key);
                    break;
                case null: throw new FunctionException("index of nil pointer");
                default: throw new FunctionException($"can't index item of type {GoValues.TypeName(item)}");
            }
        }
        return item;
    }

    private static object? Slice(object? item, ReadOnlySpan<object?> indexes)
    {
        if (item is null) throw new FunctionException("slice of untyped nil");
        if (indexes.Length > 3) throw new FunctionException($"too many slice indexes: {indexes.Length}");
        int len;
        switch (item)
        {
            case string s:
                if (indexes.Length == 3) throw new FunctionException("cannot 3-index slice a string");
                len = s.Length;
                break;
            case List<object?> l: len = l.Count; break;
            default: throw new FunctionException($"can't slice item of type {GoValues.TypeName(item)}");
        }
        long from = 0, to = len;
        if (indexes.Length >= 1) from = IndexArg(indexes[0], len);
        if (indexes.Length >= 2) to = IndexArg(indexes[1], len);
        if (indexes.Length == 3 && IndexArg(indexes[2], len) < to) throw new FunctionException($"invalid slice index: {to} > {indexes[2]}");
        if (from > to) throw new FunctionException($"invalid slice index: {from} > {to}");
        var idx = new[] { from, to };
        return item is string str ? str[(int)idx[0]..(int)idx[1]] : ((List<object?>)item).GetRange((int)idx[0], (int)(idx[1] - idx[0]));
    }

    private static string HtmlEscape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '<' => "&lt;", '>' => "&gt;", '&' => "&amp;", '\'' => "&#39;", '"' => "&#34;", '\0' => "\uFFFD",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    private static string JsEscape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var r in s.EnumerateRunes())
        {
            var v = r.Value;
            switch (v)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\'': sb.Append("\\'"); break;
                case '"': sb.Append("\\\""); break;
                case '<': sb.Append("\\u003C"); break;
                case '>': sb.Append("\\u003E"); break;
                case '&': sb.Append("\\u0026"); break;
                case '=': sb.Append("\\u003D"); break;
                default:
                    if (v < ' ') sb.Append("\\u00").Append(v.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                    else if (v >= 0x80 && !Rune.IsLetterOrDigit(r) && !Rune.IsPunctuation(r) && !Rune.IsSymbol(r) && v != 0xA0)
                        sb.Append("\\u").Append(v.ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
                    else sb.Append(r.ToString());
                    break;
            }
        }
        return sb.ToString();
    }

    private enum BasicKind { Invalid, Bool, Int, Float, Complex, String, Other }

    private static BasicKind KindOf(object? v) => v switch
    {
        null or NoValue => BasicKind.Invalid,
        bool => BasicKind.Bool,
        long or int => BasicKind.Int,
        double => BasicKind.Float,
        System.Numerics.Complex => BasicKind.Complex,
        string => BasicKind.String,
        _ => BasicKind.Other,
    };

    public static bool Eq(object? arg1, ReadOnlySpan<object?> rest)
    {
        if (rest.Length == 0) throw new FunctionException("missing argument for comparison");
        arg1 = GoValues.Unwrap(arg1);
        var k1 = KindOf(arg1);
        foreach (var raw in rest)
        {
            var arg = GoValues.Unwrap(raw);
            var k2 = KindOf(arg);
            bool truth;
            if (k1 != k2)
            {
                if (arg1 is not null && arg is not null) throw new FunctionException("incompatible types for comparison");
                truth = false;
            }
            else
            {
                truth = k1 switch
                {
                    BasicKind.Bool => (bool)arg1! == (bool)arg!,
                    BasicKind.Int => Convert.ToInt64(arg1, System.Globalization.CultureInfo.InvariantCulture) == Convert.ToInt64(arg, System.Globalization.CultureInfo.InvariantCulture),
                    BasicKind.Float => (double)arg1! == (double)arg!,
                    BasicKind.Complex => (System.Numerics.Complex)arg1! == (System.Numerics.Complex)arg!,
                    BasicKind.String => string.Equals((string)arg1!, (string)arg!, StringComparison.Ordinal),
                    BasicKind.Invalid => true,
                    _ => arg1 is Dictionary<string, object?> or List<object?>
                        ? throw new FunctionException($"non-comparable type {GoFormat.Value(arg1)}: {GoValues.TypeName(arg1)}")
                        : arg1!.GetType() != arg!.GetType()
                            ? throw new FunctionException($"non-comparable types {GoFormat.Value(arg1)}: {GoValues.TypeName(arg1)}, {GoValues.TypeName(arg)}: {GoFormat.Value(arg)}")
                            : Equals(arg1, arg),
                };
            }
            if (truth) return true;
        }
        return false;
    }

    public static bool Lt(object? a, object? b)
    {
        a = GoValues.Unwrap(a);
        b = GoValues.Unwrap(b);
        var k1 = KindOf(a);
        var k2 = KindOf(b);
        if (k1 is BasicKind.Invalid or BasicKind.Other or BasicKind.Complex || k2 is BasicKind.Invalid or BasicKind.Other or BasicKind.Complex)
            throw new FunctionException("invalid type for comparison");
        if (k1 != k2) throw new FunctionException("incompatible types for comparison");
        return k1 switch
        {
            BasicKind.Bool => throw new FunctionException("invalid type for comparison"),
            BasicKind.Int => Convert.ToInt64(a, System.Globalization.CultureInfo.InvariantCulture) < Convert.ToInt64(b, System.Globalization.CultureInfo.InvariantCulture),
            BasicKind.Float => (double)a! < (double)b!,
            _ => string.CompareOrdinal((string)a!, (string)b!) < 0,
        };
    }
}
