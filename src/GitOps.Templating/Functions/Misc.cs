using System.Text;
using System.Text.RegularExpressions;
using GitOps.Templating.Serialization;

namespace GitOps.Templating.Functions;

/// <summary>Sprig regex, path, URL and JSON functions.</summary>
internal static class Misc
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(2);

    public static void Register(IDictionary<string, GoFunction> t)
    {
        void Add(string name, string sig, GoFunc f) => t[name] = GoFunction.Of(name, sig, f);
        void Both(string name, string sig, GoFunc f)
        {
            Add(name, sig, f);
            Add("must" + char.ToUpperInvariant(name[0]) + name[1..], sig, f);
        }
        Both("regexMatch", "ss", (_, a) => Re((string)a[0]!).IsMatch((string)a[1]!));
        Both("regexFindAll", "ssi", (_, a) => FindAll(Re((string)a[0]!), (string)a[1]!, (long)a[2]!).Select(m => (object?)m.Value).ToList());
        Both("regexFind", "ss", (_, a) => Re((string)a[0]!).Match((string)a[1]!) is { Success: true } m ? m.Value : "");
        Both("regexReplaceAll", "sss", (_, a) => Re((string)a[0]!).Replace((string)a[1]!, m => Expand(m, (string)a[2]!)));
        Both("regexReplaceAllLiteral", "sss", (_, a) => Re((string)a[0]!).Replace((string)a[1]!, _ => (string)a[2]!));
        Both("regexSplit", "ssi", (_, a) => Split(Re((string)a[0]!), (string)a[1]!, (long)a[2]!));
        Add("regexQuoteMeta", "s", (_, a) => QuoteMeta((string)a[0]!));

        Add("base", "s", (_, a) => PathBase((string)a[0]!));
        Add("dir", "s", (_, a) => PathDir((string)a[0]!));
        Add("clean", "s", (_, a) => PathClean((string)a[0]!));
        Add("ext", "s", (_, a) => PathExt((string)a[0]!));
        Add("isAbs", "s", (_, a) => ((string)a[0]!).StartsWith('/'));
        Add("osBase", "s", (_, a) => PathBase((string)a[0]!));
        Add("osDir", "s", (_, a) => PathDir((string)a[0]!));
        Add("osClean", "s", (_, a) => PathClean((string)a[0]!));
        Add("osExt", "s", (_, a) => PathExt((string)a[0]!));
        Add("osIsAbs", "s", (_, a) => ((string)a[0]!).StartsWith('/'));
        Add("urlParse", "s", (_, a) => UrlFunctions.Parse((string)a[0]!));
        Add("urlJoin", "m", (_, a) => UrlFunctions.Join((Dictionary<string, object?>?)a[0]));

        Add("toJson", "a", (_, a) => TryJson(() => GoJson.Write(a[0])));
        Add("mustToJson", "a", (_, a) => Json(() => GoJson.Write(a[0])));
        Add("toPrettyJson", "a", (_, a) => TryJson(() => GoJson.Write(a[0], indent: "  ")));
        Add("mustToPrettyJson", "a", (_, a) => Json(() => GoJson.Write(a[0], indent: "  ")));
        Add("toRawJson", "a", (_, a) => TryJson(() => GoJson.Write(a[0], escapeHtml: false)));
        Add("mustToRawJson", "a", (_, a) => Json(() => GoJson.Write(a[0], escapeHtml: false)));
        Add("mustFromJson", "s", (_, a) => Json(() => GoJson.Read((string)a[0]!)));
    }

    private static string TryJson(Func<string> f)
    {
        try { return f(); }
        catch (GoJsonException) { return ""; }
    }

    private static T Json<T>(Func<T> f)
    {
        try { return f(); }
        catch (GoJsonException e) { throw new FunctionException(e.Message); }
    }

    /// <summary>Compiles an RE2 pattern with .NET (named groups spelled (?P&lt;n&gt;) are accepted).</summary>
    internal static Regex Re(string pattern)
    {
        try
        {
            return new Regex(pattern.Replace("(?P<", "(?<", StringComparison.Ordinal), RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException e)
        {
            throw new FunctionException($"error parsing regexp: {e.Message}");
        }
    }

    private static IEnumerable<Match> FindAll(Regex re, string s, long n)
    {
        var count = 0;
        var lastEnd = -1;
        foreach (Match m in re.Matches(s))
        {
            if (n >= 0 && count >= n) yield break;
            // Go ignores an empty match that abuts the preceding match.
            if (m.Length == 0 && m.Index == lastEnd) continue;
            lastEnd = m.Index + m.Length;
            count++;
            yield return m;
        }
    }

    private static List<object?> Split(Regex re, string s, long n)
    {
        if (n == 0) return [];
        if (re.ToString().Length > 0 && s.Length == 0) return [""];
        var result = new List<object?>();
        int beg = 0, end = 0;
        foreach (var m in FindAll(re, s, n))
        {
            if (n > 0 && result.Count == n - 1) break;
            end = m.Index;
            if (m.Index + m.Length != 0) result.Add(s[beg..end]);
            beg = m.Index + m.Length;
        }
        if (end != s.Length) result.Add(s[beg..]);
        return result;
    }

    /// <summary>Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$.</summary>
    private static string Expand(Match m, string template)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c != '$' || i + 1 >= template.Length) { sb.Append(c); continue; }
            if (template[i + 1] == '$') { sb.Append('$'); i++; continue; }
            string name;
            if (template[i + 1] == '{')
            {
                var close = template.IndexOf('}', i + 2);
                if (close < 0) { sb.Append(c); continue; }
                name = template[(i + 2)..close];
                i = close;
            }
            else
            {
                var j = i + 1;
                while (j < template.Length && (char.IsAsciiLetterOrDigit(template[j]) || template[j] == '_')) j++;
                if (j == i + 1) { sb.Append(c); continue; }
                name = template[(i + 1)..j];
                i = j - 1;
            }
            var g = int.TryParse(name, out var num) ? m.Groups[num] : m.Groups[name];
            if (g.Success) sb.Append(g.Value);
        }
        return sb.ToString();
    }

    private static string QuoteMeta(string s)
    {
        var sb = new StringBuilder();
        foreach (var c in s)
        {
            if (@"\.+*?()|[]{}^$".Contains(c, StringComparison.Ordinal)) sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Go's path.Clean.</summary>
    internal static string PathClean(string p)
    {
        if (p.Length == 0) return ".";
        var rooted = p[0] == '/';
        var parts = new List<string>();
        foreach (var part in p.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
                else if (!rooted) parts.Add("..");
                continue;
            }
            parts.Add(part);
        }
        var result = string.Join('/', parts);
        if (rooted) return "/" + result;
        return result.Length == 0 ? "." : result;
    }

    internal static string PathBase(string p)
    {
        if (p.Length == 0) return ".";
        p = p.TrimEnd('/');
        if (p.Length == 0) return "/";
        var i = p.LastIndexOf('/');
        return i >= 0 ? p[(i + 1)..] : p;
    }

    internal static string PathDir(string p)
    {
        var i = p.LastIndexOf('/');
        return PathClean(i >= 0 ? p[..(i + 1)] : "");
    }

    internal static string PathExt(string p)
    {
        for (var i = p.Length - 1; i >= 0 && p[i] != '/'; i--)
            if (p[i] == '.') return p[i..];
        return "";
    }
}
