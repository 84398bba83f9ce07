using System.Text;

namespace GitOps.Templating.Functions;

/// <summary>snakecase/kebabcase/camelcase as huandu/xstrings documents them.</summary>
internal static class CaseWords
{
    private static bool IsConnector(char c) => c is '-' or '_' || char.IsWhiteSpace(c);

    /// <summary>"some_words" → "SomeWords"; connectors are dropped, leading/repeated ones keep one.</summary>
    public static string Camel(string s)
    {
        if (s.Length == 0) return "";
        var sb = new StringBuilder();
        var i = 0;
        char r0 = '\0';
        for (; i < s.Length; i++)
        {
            r0 = s[i];
            if (!IsConnector(r0)) { r0 = char.ToUpperInvariant(r0); i++; break; }
            sb.Append(r0);
        }
        if (i >= s.Length)
        {
            if (!IsConnector(r0)) sb.Append(r0);
            return sb.ToString();
        }
        for (; i < s.Length; i++)
        {
            var r1 = r0;
            r0 = s[i];
            if (IsConnector(r0) && IsConnector(r1)) { sb.Append(r1); continue; }
            if (IsConnector(r1)) r0 = char.ToUpperInvariant(r0);
            else { r0 = char.ToLowerInvariant(r0); sb.Append(r1); }
        }
        sb.Append(r0);
        return sb.ToString();
    }

    /// <summary>"HTTPServer" → "http_server": words split at connectors, case changes and acronym ends.</summary>
    public static string Snake(string s, char sep)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        void Flush() { if (current.Length > 0) { words.Add(current.ToString().ToLowerInvariant()); current.Clear(); } }
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (IsConnector(c)) { Flush(); continue; }
            if (current.Length > 0)
            {
                var prev = s[i - 1];
                var next = i + 1 < s.Length ? s[i + 1] : '\0';
                if (char.IsUpper(c) && (char.IsLower(prev) || char.IsDigit(prev))) Flush();
                else if (char.IsUpper(c) && char.IsUpper(prev) && char.IsLower(next)) Flush();
                else if (char.IsDigit(c) && char.IsLetter(prev) && current.Length > 0 && !current.ToString().Any(char.IsDigit) && i + 1 < s.Length && char.IsLetter(next) && char.IsLower(prev) && current.Length > 3) Flush();
            }
            current.Append(c);
        }
        Flush();
        return string.Join(sep, words);
    }
}
