using System.Globalization;
using System.Text;
using GitOps.Primitives;

namespace GitOps.Templating;

/// <summary>Go's fmt and strconv printing: %v of maps/slices/nil, float 'g' shortest, quoting.</summary>
public static partial class GoFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>fmt.Sprint of one value (%v).</summary>
    public static string Value(object? v)
    {
        if (v is string s) return s;
        var sb = new StringBuilder();
        WriteValue(sb, v, 'v', default);
        return sb.ToString();
    }

    /// <summary>fmt.Sprint: spaces between operands when neither side is a string.</summary>
    internal static string Sprint(IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < args.Count; i++)
        {
            if (i > 0 && args[i] is not string && args[i - 1] is not string) sb.Append(' ');
            WriteValue(sb, args[i], 'v', default);
        }
        return sb.ToString();
    }

    /// <summary>fmt.Sprintln: spaces always, newline at the end.</summary>
    internal static string Sprintln(IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < args.Count; i++)
        {
            if (i > 0) sb.Append(' ');
            WriteValue(sb, args[i], 'v', default);
        }
        return sb.Append('\n').ToString();
    }

    internal record struct Flags(bool Minus, bool Plus, bool Sharp, bool Space, bool Zero, int? Width, int? Prec);

    internal static void WriteValue(StringBuilder sb, object? v, char verb, Flags f)
    {
        v = GoValues.Unwrap(v);
        switch (v)
        {
            case null:
                if (verb == 'v') Pad(sb, "<nil>", f); else sb.Append(BadVerb(verb, v));
                return;
            case string s: FormatString(sb, s, verb, f); return;
            case bool b:
                if (verb is 'v' or 't') Pad(sb, b ? "true" : "false", f); else sb.Append(BadVerb(verb, v));
                return;
            case long l: FormatInt(sb, l, verb, f); return;
            case int i: FormatInt(sb, i, verb, f); return;
            case double d: FormatFloatVerb(sb, d, verb, f); return;
            case System.Numerics.Complex c:
                // Go prints complex numbers as (real+imagi), each part with the float verb.
                if (!"vgGeEfF".Contains(verb, StringComparison.Ordinal)) { sb.Append(BadVerb(verb, v)); return; }
                sb.Append('(');
                FormatFloatVerb(sb, c.Real, verb, f with { Width = null });
                FormatFloatVerb(sb, c.Imaginary, verb, f with { Width = null, Plus = true });
                sb.Append("i)");
                return;
            case List<object?> list:
                if (verb == 'q' || verb == 'v' || verb == 's' || verb == 'd' || verb == 'x' || verb == 'X' || "feEgGtco".Contains(verb, StringComparison.Ordinal))
                {
                    sb.Append('[');
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (i > 0) sb.Append(' ');
                        WriteValue(sb, list[i], verb, f);
                    }
                    sb.Append(']');
                }
                else sb.Append(BadVerb(verb, v));
                return;
            case Dictionary<string, object?> map:
                sb.Append("map[");
                var first = true;
                foreach (var k in GoValues.SortedKeys(map))
                {
                    if (!first) sb.Append(' ');
                    first = false;
                    WriteValue(sb, k, verb, f);
                    sb.Append(':');
                    WriteValue(sb, map[k], verb, f);
                }
                sb.Append(']');
                return;
            case byte[] bytes:
                if (verb is 's' or 'q' or 'x' or 'X') { FormatString(sb, Encoding.UTF8.GetString(bytes), verb, f); return; }
                sb.Append('[').AppendJoin(' ', bytes).Append(']');
                return;
            case GoDuration dur:
                if (verb is 'v' or 's') Pad(sb, dur.ToString(), f); else FormatInt(sb, dur.Nanoseconds, verb, f);
                return;
            case DateTimeOffset t: Pad(sb, GoTime.Format(t, "2006-01-02 15:04:05.999999999 -0700 MST"), f); return;
            case IGoObject o: Pad(sb, o.Format(), f); return;
            default: Pad(sb, v.ToString() ?? "", f); return;
        }
    }

    private static string BadVerb(char verb, object? v) =>
        v is null ? $"%!{verb}(<nil>)" : $"%!{verb}({GoValues.TypeName(v)}={Value(v)})";

    private static void Pad(StringBuilder sb, string s, Flags f, bool zeroOk = false)
    {
        var width = f.Width ?? 0;
        var len = s.EnumerateRunes().Count();
        if (len >= width) { sb.Append(s); return; }
        if (f.Minus) { sb.Append(s).Append(' ', width - len); return; }
        if (f.Zero && zeroOk)
        {
            // zero padding goes after the sign
            if (s.Length > 0 && s[0] is '-' or '+' or ' ') { sb.Append(s[0]).Append('0', width - len).Append(s, 1, s.Length - 1); return; }
            sb.Append('0', width - len).Append(s);
            return;
        }
        sb.Append(' ', width - len).Append(s);
    }

    private static void FormatString(StringBuilder sb, string s, char verb, Flags f)
    {
        switch (verb)
        {
            case 'v' or 's':
                if (f.Prec is { } p) s = TruncateRunes(s, p);
                Pad(sb, s, f);
                return;
            case 'q':
                if (f.Prec is { } p2) s = TruncateRunes(s, p2);
                Pad(sb, f.Sharp && !s.Contains('`', StringComparison.Ordinal) ? "`" + s + "`" : Quote(s, f.Plus), f);
                return;
            case 'x' or 'X':
            {
                var bytes = Encoding.UTF8.GetBytes(s);
                var hex = new StringBuilder();
                for (var i = 0; i < bytes.Length; i++)
                {
                    if (f.Space && i > 0) hex.Append(' ');
                    if (f.Sharp && (f.Space || i == 0)) hex.Append(verb == 'x' ? "0x" : "0X");
                    hex.Append(bytes[i].ToString(verb == 'x' ? "x2" : "X2", Inv));
                }
                Pad(sb, hex.ToString(), f);
                return;
            }
            default: sb.Append(BadVerb(verb, s)); return;
        }
    }

    private static string TruncateRunes(string s, int n)
    {
        var count = 0;
        var idx = 0;
        foreach (var r in s.EnumerateRunes())
        {
            if (count == n) return s[..idx];
            count++;
            idx += r.Utf16SequenceLength;
        }
        return s;
    }

    private static void FormatInt(StringBuilder sb, long l, char verb, Flags f)
    {
        string digits;
        var neg = l < 0;
        var mag = neg ? (ulong)(-(l + 1)) + 1 : (ulong)l;
        switch (verb)
        {
            case 'v' or 'd': digits = mag.ToString(Inv); break;
            case 'x': digits = mag.ToString("x", Inv); if (f.Sharp) digits = "0x" + digits; break;
            case 'X': digits = mag.ToString("X", Inv); if (f.Sharp) digits = "0X" + digits; break;
            case 'o': digits = Convert.ToString((long)mag, 8); if (f.Sharp) digits = "0" + digits; break;
            case 'O': digits = "0o" + Convert.ToString((long)mag, 8); break;
            case 'b': digits = Convert.ToString((long)mag, 2); break;
            case 'c': Pad(sb, char.ConvertFromUtf32(ValidRune(l)), f); return;
            case 'q': Pad(sb, QuoteRune(ValidRune(l)), f); return;
            case 'U':
                digits = "U+" + mag.ToString("X4", Inv);
                if (f.Sharp) digits += " '" + char.ConvertFromUtf32(ValidRune(l)) + "'";
                Pad(sb, digits, f);
                return;
            case 'e' or 'E' or 'f' or 'F' or 'g' or 'G' or 's' or 't':
                sb.Append(BadVerb(verb, l));
                return;
            default: sb.Append(BadVerb(verb, l)); return;
        }
        if (f.Prec is { } p && digits.Length < p) digits = new string('0', p - digits.Length) + digits;
        var sign = neg ? "-" : f.Plus ? "+" : f.Space ? " " : "";
        Pad(sb, sign + digits, f, zeroOk: f.Prec is null);
    }

    private static int ValidRune(long l) => l is < 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF) ? 0xFFFD : (int)l;

    private static void FormatFloatVerb(StringBuilder sb, double d, char verb, Flags f)
    {
        string s;
        switch (verb)
        {
            case 'v' or 'g' or 'G':
                s = FormatFloat(d, 'g', f.Prec ?? -1);
                if (verb == 'G') s = s.ToUpperInvariant();
                break;
            case 'e' or 'E':
                s = FormatFloat(d, 'e', f.Prec ?? 6);
                if (verb == 'E') s = s.ToUpperInvariant();
                break;
            case 'f' or 'F': s = FormatFloat(d, 'f', f.Prec ?? 6); break;
            default: sb.Append(BadVerb(verb, d)); return;
        }
        if (f.Plus && !s.StartsWith('-') && !s.StartsWith('+')) s = "+" + s;
        else if (f.Space && !s.StartsWith('-') && !s.StartsWith('+')) s = " " + s;
        if (double.IsInfinity(d) || double.IsNaN(d)) { Pad(sb, s, f with { Zero = false }); return; }
        Pad(sb, s, f, zeroOk: true);
    }

    /// <summary>strconv.FormatFloat(d, fmt, prec, 64) for 'g', 'e' and 'f' (prec -1 = shortest).</summary>
    public static string FormatFloat(double d, char fmt, int prec)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsPositiveInfinity(d)) return "+Inf";
        if (double.IsNegativeInfinity(d)) return "-Inf";
        var neg = d < 0 || (d == 0 && double.IsNegative(d));
        var a = Math.Abs(d);
        string body;
        if (fmt == 'f')
        {
            if (prec < 0) { Digits(a, -1, out var ds, out var dp); body = FixedFromDigits(ds, dp, Math.Max(ds.Length - dp, 0)); }
            else body = a.ToString("F" + prec, Inv);
        }
        else if (fmt == 'e')
        {
            if (prec < 0) { Digits(a, -1, out var ds, out var dp); body = ExpFromDigits(ds, dp, ds.Length - 1); }
            else { Digits(a, prec + 1, out var ds, out var dp); body = ExpFromDigits(ds, dp, prec); }
        }
        else
        {
            var shortest = prec < 0;
            if (prec == 0) prec = 1;
            Digits(a, shortest ? -1 : prec, out var ds, out var dp);
            var eprec = shortest ? 6 : prec;
            if (!shortest && eprec > ds.Length && ds.Length >= dp) eprec = ds.Length;
            var exp = dp - 1;
            if (a == 0) exp = 0;
            body = exp < -4 || exp >= eprec
                ? ExpFromDigits(ds, dp, (shortest ? ds.Length : Math.Min(prec, ds.Length)) - 1)
                : FixedFromDigits(ds, dp, Math.Max(ds.Length - dp, 0));
        }
        return neg ? "-" + body : body;
    }

    /// <summary>Decimal digits (no trailing zeros) and decimal point position: value = 0.DIGITS × 10^dp.</summary>
    private static void Digits(double a, int significant, out string digits, out int dp)
    {
        if (a == 0) { digits = "0"; dp = 1; return; }
        string s;
        if (significant < 0)
        {
            // Shortest round-trip digits.
            s = a.ToString("R", Inv);
            var ePos = s.IndexOf('E', StringComparison.Ordinal);
            var mant = ePos < 0 ? s : s[..ePos];
            var e = ePos < 0 ? 0 : int.Parse(s[(ePos + 1)..], NumberStyles.AllowLeadingSign, Inv);
            var dot = mant.IndexOf('.', StringComparison.Ordinal);
            var intLen = dot < 0 ? mant.Length : dot;
            var ds = mant.Replace(".", "", StringComparison.Ordinal);
            var p = intLen + e;
            var lead = 0;
            while (lead < ds.Length - 1 && ds[lead] == '0') lead++;
            ds = ds[lead..];
            p -= lead;
            digits = ds.TrimEnd('0');
            if (digits.Length == 0) digits = "0";
            dp = p;
            return;
        }
        s = a.ToString("E" + Math.Max(significant - 1, 0), Inv);
        var ePos2 = s.IndexOf('E', StringComparison.Ordinal);
        var exp = int.Parse(s[(ePos2 + 1)..], NumberStyles.AllowLeadingSign, Inv);
        var m = s[..ePos2].Replace(".", "", StringComparison.Ordinal).TrimEnd('0');
        digits = m.Length == 0 ? "0" : m;
        dp = exp + 1;
    }

    private static string ExpFromDigits(string ds, int dp, int decimals)
    {
        var sb = new StringBuilder();
        sb.Append(ds[0]);
        if (decimals > 0)
        {
            sb.Append('.');
            for (var i = 1; i <= decimals; i++) sb.Append(i < ds.Length ? ds[i] : '0');
        }
        var exp = ds == "0" ? 0 : dp - 1;
        sb.Append('e').Append(exp < 0 ? '-' : '+');
        var e = Math.Abs(exp);
        if (e < 10) sb.Append('0');
        sb.Append(e.ToString(Inv));
        return sb.ToString();
    }

    private static string FixedFromDigits(string ds, int dp, int decimals)
    {
        var sb = new StringBuilder();
        if (dp <= 0) sb.Append('0');
        else for (var i = 0; i < dp; i++) sb.Append(i < ds.Length ? ds[i] : '0');
        if (decimals > 0)
        {
            sb.Append('.');
            for (var i = 0; i < decimals; i++)
            {
                var idx = dp + i;
                sb.Append(idx >= 0 && idx < ds.Length ? ds[idx] : '0');
            }
        }
        return sb.ToString();
    }
}
