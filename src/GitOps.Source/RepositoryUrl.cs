using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace GitOps.Source;

/// <summary>How the repository is reached.</summary>
public enum GitTransport
{
    Http,
    Https,
    File,
}

/// <summary>
/// A repository location, normalised so that spellings of one repository share one mirror:
/// scheme and host lower-cased, default port, user info, trailing slashes and <c>.git</c> dropped.
/// User info is never kept here (it is turned into credentials), so <see cref="ToString"/> is safe to log.
/// </summary>
public sealed partial record RepositoryUrl
{
    private RepositoryUrl(GitTransport transport, string normalized, string remoteUrl, GitCredentials? embedded)
    {
        Transport = transport;
        Normalized = normalized;
        RemoteUrl = remoteUrl;
        EmbeddedCredentials = embedded;
    }

    public GitTransport Transport { get; }

    /// <summary>The identity of the repository: the cache key and what webhooks are matched on.</summary>
    public string Normalized { get; }

    /// <summary>The URL handed to libgit2 (as first given, minus user info).</summary>
    public string RemoteUrl { get; }

    /// <summary>Credentials that were written into the URL (<c>https://user:token@host/…</c>), if any.</summary>
    internal GitCredentials? EmbeddedCredentials { get; }

    /// <summary>A short stable directory name for the mirror of this repository.</summary>
    internal string CacheKey =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalized)))[..24];

    public override string ToString() => Normalized;

    /// <summary>Parses and normalises a URL or local path; throws <see cref="GitSourceException"/> when unsupported.</summary>
    public static RepositoryUrl Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var text = url.Trim();
        if (text.Length == 0)
        {
            throw new GitSourceException(GitSourceErrorKind.InvalidUrl, "repository URL is empty");
        }

        if (text.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase) || ScpLike().IsMatch(text))
        {
            throw new GitSourceException(GitSourceErrorKind.UnsupportedTransport,
                $"SSH repository URLs are not supported ({Mask(text)}): use an https:// URL with a token");
        }

        if (text.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            var uri = new Uri(text);
            return Local(uri.LocalPath);
        }

        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ||
            text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return Http(text);
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            throw new GitSourceException(GitSourceErrorKind.UnsupportedTransport,
                $"unsupported repository URL scheme in {Mask(text)}: use https://, http://, file:// or a local path");
        }

        return Local(text);
    }

    /// <summary>Replaces user info in any URL inside <paramref name="text"/> with <c>***</c>.</summary>
    public static string Mask(string text) => UserInfo().Replace(text, "://***@");

    private static RepositoryUrl Http(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new GitSourceException(GitSourceErrorKind.InvalidUrl, $"invalid repository URL {Mask(text)}");
        }

        GitCredentials? embedded = null;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            embedded = new GitCredentials(Uri.UnescapeDataString(parts[0]),
                parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
        }

        var scheme = uri.Scheme.ToLowerInvariant();
        var authority = uri.IsDefaultPort ? uri.Host.ToLowerInvariant() : $"{uri.Host.ToLowerInvariant()}:{uri.Port}";
        var path = uri.AbsolutePath.TrimEnd('/');
        var remote = $"{scheme}://{authority}{path}";
        if (path.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            path = path[..^4];
        }

        var transport = scheme == "https" ? GitTransport.Https : GitTransport.Http;
        return new RepositoryUrl(transport, $"{scheme}://{authority}{path}", remote, embedded);
    }

    private static RepositoryUrl Local(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd('/');
        if (full.Length == 0)
        {
            full = "/";
        }

        var normalized = full.EndsWith(".git", StringComparison.Ordinal) ? full[..^4] : full;
        return new RepositoryUrl(GitTransport.File, "file://" + normalized, full, null);
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]+@[^/:]+:")]
    private static partial Regex ScpLike();

    [GeneratedRegex(@"://[^/@\s]+@")]
    private static partial Regex UserInfo();
}
