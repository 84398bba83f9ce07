using System.Globalization;
using System.Text;

namespace GitOps.Templating;

/// <summary>strconv's Quote/QuoteRune/Unquote.</summary>
public static partial class GoFormat
{
    /// <summary>strconv.Quote.</summary>
    public static string Quote(string s, bool asciiOnly = false)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (var r in s.EnumerateRunes()) AppendEscapedRune(sb, r, '"', asciiOnly);
        return sb.Append('"').ToString();
    }

    internal static string QuoteRune(int r)
    {
        var sb = new StringBuilder("'");
        AppendEscapedRune(sb, Rune.IsValid(r) ? new Rune(r) : Rune.ReplacementChar, '\'', false);
        return sb.Append('\'').ToString();
    }

    internal static string QuoteRune(char c) => QuoteRune((int)c);

    private static void AppendEscapedRune(StringBuilder sb, Rune r, char quote, bool asciiOnly)
    {
        var v = r.Value;
        if (v == quote || v == '\\') { sb.Append('\\').Append((char)v); return; }
        if (asciiOnly ? v < 0x7F && v >= 0x20 : IsPrint(r)) { sb.Append(r.ToString()); return; }
        switch (v)
        {
            case 7: sb.Append("\\a"); return;
            case 8: sb.Append("\\b"); return;
            case 12: sb.Append("\\f"); return;
            case 10: sb.Append("\\n"); return;
            case 13: sb.Append("\\r"); return;
            case 9: sb.Append("\\t"); return;
            case 11: sb.Append("\\v"); return;
        }
        if (v < ' ' || v == 0x7F) sb.Append("\\x").Append(v.ToString("x2", Inv));
        else if (v == 0xFFFD) sb.Append("\\ufffd");
        else if (v < 0x10000) sb.Append("\\u").Append(v.ToString("x4", Inv));
        else sb.Append("\\U").Append(v.ToString("x8", Inv));
    }

    private static bool IsPrint(Rune r)
    {
        if (r.Value < 0x20 || r.Value == 0x7F) return false;
        if (r.Value == ' ') return true;
        var cat = Rune.GetUnicodeCategory(r);
        return cat is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or
            UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or
            UnicodeCategory.ParagraphSeparator or UnicodeCategory.SpaceSeparator);
    }

    /// <summary>strconv.Unquote of a double-quoted Go string; null when malformed.</summary>
    internal static string? Unquote(string quoted)
    {
        if (quoted.Length < 2 || quoted[0] != '"' || quoted[^1] != '"') return null;
        var s = quoted.AsSpan(1, quoted.Length - 2);
        var sb = new StringBuilder(s.Length);
        var bytes = new List<byte>();
        void FlushBytes() { if (bytes.Count > 0) { sb.Append(Encoding.UTF8.GetString(bytes.ToArray())); bytes.Clear(); } }
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '"' || c == '\n') return null;
            if (c != '\\') { FlushBytes(); sb.Append(c); continue; }
            if (++i >= s.Length) return null;
            c = s[i];
            switch (c)
            {
                case 'a': FlushBytes(); sb.Append('\a'); break;
                case 'b': FlushBytes(); sb.Append('\b'); break;
                case 'f': FlushBytes(); sb.Append('\f'); break;
                case 'n': FlushBytes(); sb.Append('\n'); break;
                case 'r': FlushBytes(); sb.Append('\r'); break;
                case 't': FlushBytes(); sb.Append('\t'); break;
                case 'v': FlushBytes(); sb.Append('\v'); break;
                case '\\': FlushBytes(); sb.Append('\\'); break;
                case '"': FlushBytes(); sb.Append('"'); break;
                case '\'': FlushBytes(); sb.Append('\''); break;
                case 'x' or 'u' or 'U':
                {
                    var n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
                    if (s.Length - (i + 1) < n) return null;
                    if (!int.TryParse(s.Slice(i + 1, n), NumberStyles.AllowHexSpecifier, Inv, out var code)) return null;
                    i += n;
                    if (c == 'x') bytes.Add((byte)code);
                    else { FlushBytes(); if (!Rune.IsValid(code)) return null; sb.Append(char.ConvertFromUtf32(code)); }
                    break;
                }
                case >= '0' and <= '7':
                {
                    if (i + 2 >= s.Length) return null;
                    var code = 0;
                    for (var k = 0; k < 3; k++)
                    {
                        var d = s[i + k];
                        if (d is < '0' or > '7') return null;
                        code = code * 8 + (d - '0');
                    }
                    if (code > 255) return null;
                    i += 2;
                    bytes.Add((byte)code);
                    break;
                }
                default: return null;
            }
        }
        FlushBytes();
        return sb.ToString();
    }
}
