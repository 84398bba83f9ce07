using System.Globalization;

namespace GitOps.Templating;

/// <summary>Number constants as Go's parse.NumberNode reads them: ints with base prefixes and underscores,
/// floats, hex floats and character constants.</summary>
internal sealed partial class Parser
{
    private NumberNode Number(Token token)
    {
        var text = token.Value;
        if (token.Kind == TokenKind.Char)
        {
            var s = GoFormat.Unquote("\"" + text[1..^1].Replace("\\'", "'", StringComparison.Ordinal) + "\"")
                ?? throw Error(token, $"malformed character constant: {text}");
            var rune = char.ConvertToUtf32(s, 0);
            return new NumberNode(token.Pos, text) { IsChar = true, IsInt = true, IsFloat = true, Int = rune, Float = rune };
        }
        if (text.EndsWith('i')) return Complex(token, text);
        var isInt = TryParseInt(text, out var i);
        if (isInt) return new NumberNode(token.Pos, text) { IsInt = true, Int = i, IsFloat = true, Float = i };
        if (TryParseUint(text, out var u)) return new NumberNode(token.Pos, text) { IsUint = true, IsFloat = true, Float = u };
        var clean = text.Replace("_", "", StringComparison.Ordinal);
        if (TryParseHexFloat(clean, out var hf))
            return new NumberNode(token.Pos, text) { IsFloat = true, Float = hf, IsInt = hf == Math.Floor(hf) && Math.Abs(hf) < 9.2e18, Int = hf == Math.Floor(hf) && Math.Abs(hf) < 9.2e18 ? (long)hf : 0 };
        if (!clean.StartsWith("0x", StringComparison.OrdinalIgnoreCase) &&
            double.TryParse(clean, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && !double.IsInfinity(f))
        {
            var integral = f == Math.Floor(f) && Math.Abs(f) < 9.2e18;
            return new NumberNode(token.Pos, text) { IsFloat = true, Float = f, IsInt = integral, Int = integral ? (long)f : 0 };
        }
        throw Error(token, $"illegal number syntax: {GoFormat.Quote(text)}");
    }

    /// <summary>Complex constants ("1.5i", "1+2i"); a zero imaginary part simplifies to a float/int.</summary>
    private NumberNode Complex(Token token, string text)
    {
        var body = text[..^1];
        var split = -1;
        for (var i = body.Length - 1; i > 0; i--)
        {
            if (body[i] is '+' or '-' && body[i - 1] is not ('e' or 'E')) { split = i; break; }
        }
        var realText = split > 0 ? body[..split] : "0";
        var imagText = split > 0 ? body[split..] : body;
        if (!double.TryParse(realText.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var re) ||
            !double.TryParse(imagText.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var im))
            throw Error(token, $"illegal number syntax: {GoFormat.Quote(text)}");
        if (im == 0)
        {
            var integral = re == Math.Floor(re) && Math.Abs(re) < 9.2e18;
            return new NumberNode(token.Pos, text) { IsFloat = true, Float = re, IsInt = integral, Int = integral ? (long)re : 0 };
        }
        return new NumberNode(token.Pos, text) { IsComplex = true, Complex = new System.Numerics.Complex(re, im) };
    }

    /// <summary>Go hex floats: 0x1.ep+2 = 7.5.</summary>
    private static bool TryParseHexFloat(string s, out double value)
    {
        value = 0;
        var neg = s.StartsWith('-');
        if (s.Length > 0 && s[0] is '+' or '-') s = s[1..];
        if (!s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) return false;
        var p = s.IndexOfAny(['p', 'P']);
        if (p < 0) return false;
        var mant = s[2..p];
        if (!int.TryParse(s[(p + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exp)) return false;
        double m = 0, scale = 1;
        var afterDot = false;
        foreach (var c in mant)
        {
            if (c == '.') { afterDot = true; continue; }
            var d = Convert.ToInt32(c.ToString(), 16);
            if (afterDot) { scale /= 16; m += d * scale; } else m = m * 16 + d;
        }
        value = (neg ? -m : m) * Math.Pow(2, exp);
        return true;
    }

    internal static bool TryParseInt(string text, out long value)
    {
        value = 0;
        var s = text;
        var neg = false;
        if (s.StartsWith('-') || s.StartsWith('+')) { neg = s[0] == '-'; s = s[1..]; }
        if (!TryParseMagnitude(s, out var mag)) return false;
        if (neg) { if (mag > 9223372036854775808UL) return false; value = (long)(0 - mag); return true; }
        if (mag > long.MaxValue) return false;
        value = (long)mag;
        return true;
    }

    private static bool TryParseUint(string text, out ulong value)
    {
        value = 0;
        return !text.StartsWith('-') && TryParseMagnitude(text.TrimStart('+'), out value);
    }

    private static bool TryParseMagnitude(string s, out ulong value)
    {
        value = 0;
        var @base = 10;
        var hasPrefix = false;
        if (s.Length > 2 && s[0] == '0' && s[1] is 'x' or 'X') { @base = 16; s = s[2..]; hasPrefix = true; }
        else if (s.Length > 2 && s[0] == '0' && s[1] is 'b' or 'B') { @base = 2; s = s[2..]; hasPrefix = true; }
        else if (s.Length > 2 && s[0] == '0' && s[1] is 'o' or 'O') { @base = 8; s = s[2..]; hasPrefix = true; }
        else if (s.Length > 1 && s[0] == '0') { @base = 8; s = s[1..]; hasPrefix = true; }
        if (s.Length == 0) return false;
        if (s.Contains('_', StringComparison.Ordinal))
        {
            if (!hasPrefix && s[0] != '0' && @base == 10) { /* Go allows 1_000 in base-0 parsing */ }
            if ((s.StartsWith('_') && !hasPrefix) || s.EndsWith('_') || s.Contains("__", StringComparison.Ordinal)) return false;
            s = s.Replace("_", "", StringComparison.Ordinal);
        }
        foreach (var c in s)
        {
            var d = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c is >= 'A' and <= 'F' ? c - 'A' + 10 : 99;
            if (d >= @base) return false;
            var next = value * (ulong)@base + (ulong)d;
            if (value > (ulong.MaxValue - (ulong)d) / (ulong)@base) return false;
            value = next;
        }
        return true;
    }
}
