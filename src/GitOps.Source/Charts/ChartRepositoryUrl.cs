namespace GitOps.Source.Charts;

/// <summary>Chart repository locations: <c>https://host/path</c> (index.yaml under it) or <c>oci://host/path</c>.</summary>
public static class ChartRepositoryUrl
{
    /// <summary>True for a repoURL that names a chart registry rather than a git repository.</summary>
    public static bool IsOci(string url) => url.TrimStart().StartsWith("oci://", StringComparison.OrdinalIgnoreCase);

    /// <summary>scheme://host[:port]/path with scheme and host lower-cased, default port and trailing slashes dropped:
    /// the cache key and what credential entries are matched on. User info is refused: credentials come from the
    /// controller's credentials file, never from an application's spec.</summary>
    public static Uri Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var text = url.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host) ||
            uri.Scheme is not ("http" or "https" or "oci"))
        {
            throw new GitSourceException(GitSourceErrorKind.InvalidUrl,
                $"invalid chart repository URL {RepositoryUrl.Mask(text)}: use https://, http:// or oci://");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw new GitSourceException(GitSourceErrorKind.InvalidUrl,
                $"chart repository URL {RepositoryUrl.Mask(text)} carries credentials: put them in the controller's credentials file");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new GitSourceException(GitSourceErrorKind.InvalidUrl, $"chart repository URL {text} has a query or fragment");
        }

        return new Uri(Normalize(uri));
    }

    /// <summary>The normalised text of an absolute URL (see <see cref="Parse"/>), user info dropped.</summary>
    public static string Normalize(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.DnsSafeHost}]" : uri.Host.ToLowerInvariant();
        var authority = uri.IsDefaultPort || uri.Port < 0 ? host : $"{host}:{uri.Port}";
        return $"{uri.Scheme.ToLowerInvariant()}://{authority}{uri.AbsolutePath.TrimEnd('/')}";
    }
}
