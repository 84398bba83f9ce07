using System.Globalization;
using System.Text;

using GitOps.Primitives;

namespace GitOps.Templating.Functions;

/// <summary>Sprig's conversions (strval, strslice) and spf13/cast's lenient ToInt64/ToFloat64.</summary>
internal static class Conv
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Str(object? v) => GoValues.Unwrap(v) switch
    {
        string s => s,
        byte[] b => Encoding.UTF8.GetString(b),
        null => "<nil>",
        var o => GoFormat.Value(o),
    };

    public static List<object?> StrSlice(object? v) => GoValues.Unwrap(v) switch
    {
        List<object?> l => l.Where(x => !GoValues.IsNil(x)).Select(x => (object?)Str(x)).ToList(),
        null => [],
        var o => [Str(o)],
    };

    public static long ToInt64(object? v)
    {
        switch (GoValues.Unwrap(v))
        {
            case long l: return l;
            case int i: return i;
            case double d: return double.IsNaN(d) ? long.MinValue : d >= 9.223372036854775807E18 ? long.MinValue : d <= -9.223372036854775808E18 ? long.MinValue : (long)d;
            case bool b: return b ? 1 : 0;
            case string s:
                s = TrimZeroDecimal(s);
                return Parser.TryParseInt(s, out var r) ? r : 0;
            case GoDuration d: return d.Nanoseconds;
            default: return 0;
        }
    }

    /// <summary>cast's trimZeroDecimal: "3.000" → "3".</summary>
    private static string TrimZeroDecimal(string s)
    {
        var dot = s.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || dot == s.Length - 1) return s;
        for (var i = dot + 1; i < s.Length; i++) if (s[i] != '0') return s;
        return s[..dot];
    }

    public static double ToFloat64(object? v) => GoValues.Unwrap(v) switch
    {
        double d => d,
        long l => l,
        int i => i,
        bool b => b ? 1 : 0,
        string s => double.TryParse(s, NumberStyles.Float, Inv, out var d) ? d : 0,
        _ => 0,
    };

    public static int ToInt(object? v) => (int)Math.Clamp(ToInt64(v), int.MinValue, int.MaxValue);

    public static bool ToBool(object? v) => GoValues.Unwrap(v) switch
    {
        bool b => b,
        string s => s is "1" or "t" or "T" or "TRUE" or "true" or "True",
        long l => l != 0,
        double d => d != 0,
        _ => false,
    };

    /// <summary>A list-like argument as a list, or an error naming the operation (sprig's "Cannot X on type Y").</summary>
    public static List<object?> List(object? v, string op)
    {
        return GoValues.Unwrap(v) switch
        {
            List<object?> l => l,
            byte[] b => b.Select(x => (object?)(long)x).ToList(),
            var o => throw new FunctionException($"Cannot {op} on type {(o is null ? "<nil>" : GoValues.KindName(o))}"),
        };
    }
}
