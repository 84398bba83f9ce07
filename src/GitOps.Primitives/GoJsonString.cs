using System.Globalization;
using System.Text;

namespace GitOps.Primitives;

/// <summary>
/// A string as Go's encoding/json writes it (Go 1.22 and later, which kubectl's Kustomize and Helm are built
/// with): short escapes for \b \f \n \r \t, \u00XX for other control characters, \u2028 and \u2029 always,
/// and &lt; &gt; &amp; as \u003c \u003e \u0026 when HTML-safe escaping is on (json.Marshal's default). Shared
/// by Kustomize's content hash and Helm's toJson so both match Go byte for byte.
/// </summary>
public static class GoJsonString
{
    public static string Quote(string s, bool escapeHtml = true) =>
        Append(new StringBuilder(s.Length + 2), s, escapeHtml).ToString();

    public static StringBuilder Append(StringBuilder sb, string s, bool escapeHtml)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<' or '>' or '&' when escapeHtml: Unicode(sb, c); break;
                case '\u2028' or '\u2029': Unicode(sb, c); break;
                case < ' ': Unicode(sb, c); break;
                default: sb.Append(c); break;
            }
        }

        return sb.Append('"');
    }

    private static void Unicode(StringBuilder sb, char c) =>
        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
}
