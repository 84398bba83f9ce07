using System.Text;

namespace GitOps.Templating;

/// <summary>fmt.Sprintf: verbs, flags, width, precision, argument indexes and Go's error annotations.</summary>
public static partial class GoFormat
{
    internal static string Sprintf(string format, IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder(format.Length + 16);
        var argNum = 0;
        var reordered = false;
        var i = 0;
        while (i < format.Length)
        {
            var pct = format.IndexOf('%', i);
            if (pct < 0) { sb.Append(format, i, format.Length - i); break; }
            sb.Append(format, i, pct - i);
            i = pct + 1;
            var f = new Flags();
            // flags
            for (; i < format.Length; i++)
            {
                var c = format[i];
                if (c == '-') f = f with { Minus = true, Zero = false };
                else if (c == '+') f = f with { Plus = true };
                else if (c == '#') f = f with { Sharp = true };
                else if (c == ' ') f = f with { Space = true };
                else if (c == '0') f = f with { Zero = !f.Minus };
                else break;
            }
            // argument index, width
            i = ArgIndex(format, i, ref argNum, ref reordered);
            if (i < format.Length && format[i] == '*')
            {
                i++;
                if (argNum < args.Count && args[argNum] is long w) { f = w < 0 ? f with { Minus = true, Width = (int)-w } : f with { Width = (int)w }; }
                else sb.Append("%!(BADWIDTH)");
                argNum++;
                i = ArgIndex(format, i, ref argNum, ref reordered);
            }
            else
            {
                var start = i;
                while (i < format.Length && char.IsAsciiDigit(format[i])) i++;
                if (i > start) f = f with { Width = int.Parse(format.AsSpan(start, i - start), provider: Inv) };
            }
            if (i < format.Length && format[i] == '.')
            {
                i++;
                i = ArgIndex(format, i, ref argNum, ref reordered);
                if (i < format.Length && format[i] == '*')
                {
                    i++;
                    if (argNum < args.Count && args[argNum] is long p && p >= 0) f = f with { Prec = (int)p };
                    else sb.Append("%!(BADPREC)");
                    argNum++;
                }
                else
                {
                    var start = i;
                    while (i < format.Length && char.IsAsciiDigit(format[i])) i++;
                    f = f with { Prec = i > start ? int.Parse(format.AsSpan(start, i - start), provider: Inv) : 0 };
                }
            }
            i = ArgIndex(format, i, ref argNum, ref reordered);
            if (i >= format.Length) { sb.Append("%!(NOVERB)"); break; }
            var rune = Rune.GetRuneAt(format, i);
            i += rune.Utf16SequenceLength;
            var verb = rune.Value < 0x10000 ? (char)rune.Value : '?';
            if (verb == '%') { sb.Append('%'); continue; }
            if (argNum >= args.Count) { sb.Append("%!").Append(rune.ToString()).Append("(MISSING)"); continue; }
            var arg = args[argNum++];
            if (verb == 'T') { Pad(sb, GoValues.TypeName(arg), f); continue; }
            if (verb == 'v' && f.Sharp) { sb.Append(GoSyntax(arg)); continue; }
            WriteValue(sb, arg, verb, f);
        }
        if (!reordered && argNum < args.Count)
        {
            sb.Append("%!(EXTRA ");
            for (var k = argNum; k < args.Count; k++)
            {
                if (k > argNum) sb.Append(", ");
                var a = GoValues.Unwrap(args[k]);
                if (a is null) sb.Append("<nil>");
                else sb.Append(GoValues.TypeName(a)).Append('=').Append(Value(a));
            }
            sb.Append(')');
        }
        return sb.ToString();
    }

    private static int ArgIndex(string format, int i, ref int argNum, ref bool reordered)
    {
        if (i >= format.Length || format[i] != '[') return i;
        var close = format.IndexOf(']', i);
        if (close < 0) return i;
        if (int.TryParse(format.AsSpan(i + 1, close - i - 1), provider: Inv, out var n) && n >= 1)
        {
            argNum = n - 1;
            reordered = true;
        }
        return close + 1;
    }

    /// <summary>%#v: Go-syntax representation (best effort for the value model).</summary>
    private static string GoSyntax(object? v) => GoValues.Unwrap(v) switch
    {
        null => "<nil>",
        string s => Quote(s),
        List<object?> l => "[]interface {}{" + string.Join(", ", l.Select(GoSyntax)) + "}",
        Dictionary<string, object?> m => "map[string]interface {}{" +
            string.Join(", ", GoValues.SortedKeys(m).Select(k => Quote(k) + ":" + GoSyntax(m[k]))) + "}",
        double d => FormatFloat(d, 'g', -1) is var s2 && (s2.Contains('.', StringComparison.Ordinal) || s2.Contains('e', StringComparison.Ordinal) || s2.Contains("Inf", StringComparison.Ordinal) || s2 == "NaN") ? s2 : s2 + ".0",
        var o => Value(o),
    };
}
