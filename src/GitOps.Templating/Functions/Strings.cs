using System.Globalization;
using System.Text;

namespace GitOps.Templating.Functions;

/// <summary>Sprig string functions.</summary>
internal static class Strings
{
    public static void Register(IDictionary<string, GoFunction> t, Func<Random> random)
    {
        void Add(string name, string sig, GoFunc f) => t[name] = GoFunction.Of(name, sig, f);
        Add("hello", "", (_, _) => "Hello!");
        Add("upper", "s", (_, a) => S(a[0]).ToUpperInvariant());
        Add("lower", "s", (_, a) => S(a[0]).ToLowerInvariant());
        Add("title", "s", (_, a) => Title(S(a[0])));
        Add("untitle", "s", (_, a) => Untitle(S(a[0])));
        Add("trim", "s", (_, a) => S(a[0]).Trim());
        Add("trimAll", "ss", (_, a) => TrimSet(S(a[1]), S(a[0])));
        Add("trimall", "ss", (_, a) => TrimSet(S(a[1]), S(a[0])));
        Add("trimPrefix", "ss", (_, a) => S(a[1]).StartsWith(S(a[0]), StringComparison.Ordinal) ? S(a[1])[S(a[0]).Length..] : S(a[1]));
        Add("trimSuffix", "ss", (_, a) => S(a[1]).EndsWith(S(a[0]), StringComparison.Ordinal) ? S(a[1])[..^S(a[0]).Length] : S(a[1]));
        Add("trunc", "is", (_, a) => Trunc(I(a[0]), S(a[1])));
        Add("substr", "iis", (_, a) => Substr(I(a[0]), I(a[1]), S(a[2])));
        Add("repeat", "is", (_, a) => I(a[0]) < 0 ? throw new FunctionException("strings: negative Repeat count") : string.Concat(Enumerable.Repeat(S(a[1]), (int)I(a[0]))));
        Add("nospace", "s", (_, a) => string.Concat(S(a[0]).Where(c => !char.IsWhiteSpace(c))));
        Add("initials", "s", (_, a) => string.Concat(S(a[0]).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => char.IsSurrogate(w[0]) ? w[..2] : w[..1])));
        Add("swapcase", "s", (_, a) => string.Concat(S(a[0]).Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.IsLower(c) ? char.ToUpperInvariant(c) : c)));
        Add("shuffle", "s", (_, a) => { var chars = S(a[0]).ToCharArray(); random().Shuffle(chars); return new string(chars); });
        Add("snakecase", "s", (_, a) => CaseWords.Snake(S(a[0]), '_'));
        Add("kebabcase", "s", (_, a) => CaseWords.Snake(S(a[0]), '-'));
        Add("camelcase", "s", (_, a) => CaseWords.Camel(S(a[0])));
        Add("abbrev", "is", (_, a) => Abbrev(S(a[1]), (int)I(a[0])));
        Add("abbrevboth", "iis", (_, a) => AbbrevBoth(S(a[2]), (int)I(a[0]), (int)I(a[1])));
        Add("wrap", "is", (_, a) => Wrap(S(a[1]), (int)I(a[0]), "\n", false));
        Add("wrapWith", "iss", (_, a) => Wrap(S(a[2]), (int)I(a[0]), S(a[1]), true));
        Add("contains", "ss", (_, a) => S(a[1]).Contains(S(a[0]), StringComparison.Ordinal));
        Add("hasPrefix", "ss", (_, a) => S(a[1]).StartsWith(S(a[0]), StringComparison.Ordinal));
        Add("hasSuffix", "ss", (_, a) => S(a[1]).EndsWith(S(a[0]), StringComparison.Ordinal));
        Add("quote", "a*", (_, a) => string.Join(' ', a.Where(x => !GoValues.IsNil(x)).Select(x => GoFormat.Quote(Conv.Str(x)))));
        Add("squote", "a*", (_, a) => string.Join(' ', a.Where(x => !GoValues.IsNil(x)).Select(x => "'" + Conv.Str(x) + "'")));
        Add("cat", "a*", (_, a) => string.Join(' ', a.Where(x => !GoValues.IsNil(x)).Select(x => GoFormat.Value(x))));
        Add("indent", "is", (_, a) => Indent((int)I(a[0]), S(a[1])));
        Add("nindent", "is", (_, a) => "\n" + Indent((int)I(a[0]), S(a[1])));
        Add("replace", "sss", (_, a) => Replace(S(a[2]), S(a[0]), S(a[1])));
        Add("plural", "ssi", (_, a) => I(a[2]) == 1 ? S(a[0]) : S(a[1]));
        Add("toString", "a", (_, a) => Conv.Str(a[0]));
        Add("split", "ss", (_, a) => Indexed(GoSplit(S(a[1]), S(a[0]), -1)));
        Add("splitn", "sis", (_, a) => Indexed(GoSplit(S(a[2]), S(a[0]), (int)I(a[1]))));
        Add("splitList", "ss", (_, a) => GoSplit(S(a[1]), S(a[0]), -1).Select(x => (object?)x).ToList());
        Add("toStrings", "a", (_, a) => Conv.StrSlice(a[0]));
        Add("join", "sa", (_, a) => string.Join(S(a[0]), Conv.StrSlice(a[1])));
        Add("sortAlpha", "a", (_, a) => SortAlpha(a[0]));
    }

    internal static string S(object? v) => (string)v!;
    internal static long I(object? v) => (long)v!;

    private static string TrimSet(string s, string cutset) => s.Trim(cutset.ToCharArray());

    internal static string Trunc(long c, string s)
    {
        if (c < 0 && s.Length + c > 0) return s[(int)(s.Length + c)..];
        if (c >= 0 && s.Length > c) return s[..(int)c];
        return s;
    }

    private static string Substr(long start, long end, string s)
    {
        if (start < 0) return s[..(int)Math.Min(end, s.Length)];
        if (end < 0 || end > s.Length) return s[(int)Math.Min(start, s.Length)..];
        if (start > end) throw new FunctionException($"runtime error: slice bounds out of range [{start}:{end}]");
        return s[(int)start..(int)end];
    }

    internal static string Indent(int spaces, string v)
    {
        var pad = new string(' ', Math.Max(spaces, 0));
        return pad + v.Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }

    private static string Replace(string src, string old, string @new)
    {
        if (old.Length == 0)
        {
            // Go inserts the replacement before every rune and at the end.
            var sb = new StringBuilder();
            foreach (var r in src.EnumerateRunes()) sb.Append(@new).Append(r.ToString());
            return sb.Append(@new).ToString();
        }
        return src.Replace(old, @new, StringComparison.Ordinal);
    }

    /// <summary>Go's strings.SplitN (n &lt; 0: all; empty separator splits into runes).</summary>
    internal static List<string> GoSplit(string s, string sep, int n)
    {
        if (n == 0) return [];
        if (sep.Length == 0)
        {
            var runes = s.EnumerateRunes().Select(r => r.ToString()).ToList();
            if (n > 0 && runes.Count > n) { runes[n - 1] = string.Concat(runes.Skip(n - 1)); runes.RemoveRange(n, runes.Count - n); }
            return runes;
        }
        var result = new List<string>();
        var start = 0;
        while (n < 0 || result.Count < n - 1)
        {
            var idx = s.IndexOf(sep, start, StringComparison.Ordinal);
            if (idx < 0) break;
            result.Add(s[start..idx]);
            start = idx + sep.Length;
        }
        result.Add(s[start..]);
        return result;
    }

    private static Dictionary<string, object?> Indexed(List<string> parts)
    {
        var m = GoValues.NewMap();
        for (var i = 0; i < parts.Count; i++) m["_" + i.ToString(CultureInfo.InvariantCulture)] = parts[i];
        return m;
    }

    private static List<object?> SortAlpha(object? list)
    {
        var items = GoValues.Unwrap(list) switch
        {
            List<object?> l => l.Select(Conv.Str).ToList(),
            var o => [Conv.Str(o)],
        };
        items.Sort(StringComparer.Ordinal);
        return items.Select(x => (object?)x).ToList();
    }

    private static bool IsSeparator(char c) =>
        !(char.IsAsciiLetterOrDigit(c) || c == '_') && (c < 0x80 ? true : !(char.IsLetter(c) || char.IsDigit(c)) && char.IsWhiteSpace(c));

    /// <summary>strings.Title: upper-cases the first letter of each word.</summary>
    internal static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var prev = ' ';
        foreach (var c in s)
        {
            sb.Append(IsSeparator(prev) ? char.ToUpperInvariant(c) : c);
            prev = c;
        }
        return sb.ToString();
    }

    private static string Untitle(string s)
    {
        var sb = new StringBuilder(s.Length);
        var prevSpace = true;
        foreach (var c in s)
        {
            sb.Append(prevSpace ? char.ToLowerInvariant(c) : c);
            prevSpace = char.IsWhiteSpace(c);
        }
        return sb.ToString();
    }

    private static string Abbrev(string s, int width)
    {
        if (width < 4) return s;
        return s.Length <= width ? s : s[..(width - 3)] + "...";
    }

    private static string AbbrevBoth(string s, int offset, int width)
    {
        if (width < 4 || (offset > 0 && width < 7)) return s;
        if (s.Length <= width) return s;
        if (offset > s.Length) offset = s.Length;
        if (s.Length - offset < width - 3) offset = s.Length - (width - 3);
        if (offset <= 4) return s[..(width - 3)] + "...";
        if (offset + width - 3 < s.Length) return "..." + Abbrev(s[offset..], width - 3);
        return "..." + s[(s.Length - (width - 3))..];
    }

    private static string Wrap(string s, int width, string newline, bool wrapLong)
    {
        if (s.Length == 0) return "";
        if (newline.Length == 0) newline = "\n";
        if (width < 1) width = 1;
        var sb = new StringBuilder();
        var offset = 0;
        while (s.Length - offset > width)
        {
            if (s[offset] == ' ') { offset++; continue; }
            var end = Math.Min(width + offset + 1, s.Length);
            var space = s.LastIndexOf(' ', end - 1, end - offset);
            if (space >= offset)
            {
                sb.Append(s, offset, space - offset).Append(newline);
                offset = space + 1;
            }
            else if (wrapLong)
            {
                sb.Append(s, offset, width).Append(newline);
                offset += width;
            }
            else
            {
                var idx = s.IndexOf(' ', width + offset);
                if (idx < 0) { sb.Append(s, offset, s.Length - offset); offset = s.Length; }
                else { sb.Append(s, offset, idx - offset).Append(newline); offset = idx + 1; }
            }
        }
        return sb.Append(s, offset, s.Length - offset).ToString();
    }
}
