using System.Text;

namespace GitOps.Templating.Functions;

/// <summary>urlParse/urlJoin over Go's net/url field names.</summary>
internal static class UrlFunctions
{
    public static Dictionary<string, object?> Parse(string v)
    {
        var d = GoValues.NewMap();
        string scheme = "", opaque = "", host = "", path, query = "", fragment = "", userinfo = "";
        var rest = v;
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0) { fragment = Uri.UnescapeDataString(rest[(hash + 1)..]); rest = rest[..hash]; }
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && char.IsAsciiLetter(rest[0]) && rest[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
        {
            scheme = rest[..colon].ToLowerInvariant();
            rest = rest[(colon + 1)..];
        }
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0) { query = rest[(q + 1)..]; rest = rest[..q]; }
        if (scheme.Length > 0 && !rest.StartsWith('/')) { opaque = rest; path = ""; }
        else
        {
            if (rest.StartsWith("//", StringComparison.Ordinal))
            {
                var authority = rest[2..];
                var slash = authority.IndexOf('/', StringComparison.Ordinal);
                rest = slash >= 0 ? authority[slash..] : "";
                authority = slash >= 0 ? authority[..slash] : authority;
                var at = authority.LastIndexOf('@');
                if (at >= 0) { userinfo = authority[..at]; authority = authority[(at + 1)..]; }
                host = authority;
            }
            path = Uri.UnescapeDataString(rest);
        }
        var hostname = host.StartsWith('[') ? host[1..Math.Max(1, host.IndexOf(']', StringComparison.Ordinal))] :
            host.Contains(':', StringComparison.Ordinal) ? host[..host.LastIndexOf(':')] : host;
        d["scheme"] = scheme;
        d["host"] = host;
        d["hostname"] = hostname;
        d["path"] = path;
        d["query"] = query;
        d["opaque"] = opaque;
        d["fragment"] = fragment;
        d["userinfo"] = userinfo;
        return d;
    }

    public static string Join(Dictionary<string, object?>? d)
    {
        string Get(string k) => d is not null && d.TryGetValue(k, out var v) && v is string s ? s : "";
        var sb = new StringBuilder();
        var scheme = Get("scheme");
        var host = Get("host");
        var user = Get("userinfo");
        var path = Get("path");
        if (scheme.Length > 0) sb.Append(scheme).Append(':');
        if (Get("opaque") is { Length: > 0 } opaque) sb.Append(opaque);
        else
        {
            if (scheme.Length > 0 || host.Length > 0 || user.Length > 0)
            {
                if (host.Length > 0 || path.Length > 0 || user.Length > 0) sb.Append("//");
                if (user.Length > 0) sb.Append(user).Append('@');
                sb.Append(host);
            }
            if (path.Length > 0 && path[0] != '/' && host.Length > 0) sb.Append('/');
            sb.Append(Uri.EscapeDataString(path).Replace("%2F", "/", StringComparison.Ordinal));
        }
        if (Get("query") is { Length: > 0 } query) sb.Append('?').Append(query);
        if (Get("fragment") is { Length: > 0 } fragment) sb.Append('#').Append(Uri.EscapeDataString(fragment));
        return sb.ToString();
    }
}
