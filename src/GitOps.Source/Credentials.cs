namespace GitOps.Source;

/// <summary>Username + password or token for smart HTTP. <see cref="ToString"/> never shows the secret.</summary>
public sealed record GitCredentials(string Username, string Password)
{
    public override string ToString() => $"GitCredentials {{ Username = {Username}, Password = *** }}";
}

/// <summary>
/// Where credentials for a repository come from. The controller implements this over Kubernetes Secrets;
/// <see cref="CredentialsFile"/> reads a local git-credential-store style file.
/// </summary>
public interface ICredentialsSource
{
    /// <summary>Credentials for <paramref name="repository"/>, or null when this source has none.</summary>
    ValueTask<GitCredentials?> GetAsync(RepositoryUrl repository, CancellationToken cancellationToken);
}

/// <summary>Asks each source in turn; the first that answers wins.</summary>
public sealed class ChainedCredentialsSource(IEnumerable<ICredentialsSource> sources) : ICredentialsSource
{
    private readonly ICredentialsSource[] sources = [.. sources];

    public async ValueTask<GitCredentials?> GetAsync(RepositoryUrl repository, CancellationToken cancellationToken)
    {
        foreach (var source in sources)
        {
            if (await source.GetAsync(repository, cancellationToken).ConfigureAwait(false) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}

/// <summary>How to reach an HTTP(S) or OCI chart repository: basic credentials, a bearer token, a CA bundle, or
/// (only when the entry says so) no TLS verification. <see cref="ToString"/> never shows a secret.</summary>
public sealed record RepositoryAccess(GitCredentials? Basic, string? BearerToken, string? CaFile, bool InsecureSkipTlsVerify)
{
    public static readonly RepositoryAccess Anonymous = new(null, null, null, false);

    /// <summary>OCI registries: speak plain HTTP instead of HTTPS (helm's --plain-http), for a registry on loopback.</summary>
    public bool PlainHttp { get; init; }

    public override string ToString() =>
        $"RepositoryAccess {{ Basic = {(Basic is null ? "none" : Basic.Username + ":***")}, Bearer = {(BearerToken is null ? "none" : "***")}, " +
        $"CaFile = {CaFile ?? "system"}, InsecureSkipTlsVerify = {InsecureSkipTlsVerify} }}";
}

/// <summary>
/// Credentials from a file in git-credential-store format: one <c>https://user:token@host[/path]</c> per line
/// (user and token URL-encoded). The longest matching path prefix wins; the file is re-read when it changes.
/// A line may go on with space-separated options for chart repositories and registries (git ignores them):
/// <c>bearer=TOKEN</c>, <c>ca=/path/ca.pem</c>, <c>insecure-skip-tls-verify=true</c>, <c>plain-http=true</c> (OCI);
/// its URL may then also be
/// <c>oci://host/path</c> or carry no user info.
/// </summary>
public sealed class CredentialsFile(string path) : ICredentialsSource
{
    private readonly Lock gate = new();
    private DateTime loadedStamp;
    private IReadOnlyList<(string Prefix, RepositoryAccess Access)> entries = [];

    public ValueTask<GitCredentials?> GetAsync(RepositoryUrl repository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return ValueTask.FromResult(repository.Transport == GitTransport.File ? null : Find(repository.Normalized, a => a.Basic is not null)?.Basic);
    }

    /// <summary>The entry for a chart repository or registry (a URL normalised by
    /// <see cref="Charts.ChartRepositoryUrl.Normalize"/>), or null when none matches.</summary>
    public RepositoryAccess? GetAccess(string normalizedUrl)
    {
        ArgumentNullException.ThrowIfNull(normalizedUrl);
        return Find(normalizedUrl, _ => true);
    }

    private RepositoryAccess? Find(string normalized, Func<RepositoryAccess, bool> usable)
    {
        RepositoryAccess? best = null;
        var bestLength = -1;
        foreach (var (prefix, access) in Load())
        {
            if (usable(access) && Matches(normalized, prefix) && prefix.Length > bestLength)
            {
                best = access;
                bestLength = prefix.Length;
            }
        }

        return best;
    }

    private static bool Matches(string normalized, string prefix) =>
        normalized.Equals(prefix, StringComparison.Ordinal) ||
        normalized.StartsWith(prefix + "/", StringComparison.Ordinal);

    private IReadOnlyList<(string, RepositoryAccess)> Load()
    {
        var stamp = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
        lock (gate)
        {
            if (stamp == loadedStamp)
            {
                return entries;
            }

            var parsed = new List<(string, RepositoryAccess)>();
            if (stamp != DateTime.MinValue)
            {
                foreach (var raw in File.ReadAllLines(path))
                {
                    var line = raw.Trim();
                    if (line.Length == 0 || line.StartsWith('#'))
                    {
                        continue;
                    }

                    if (ParseLine(line) is { } entry)
                    {
                        parsed.Add(entry);
                    }
                }
            }

            entries = parsed;
            loadedStamp = stamp;
            return entries;
        }
    }

    /// <summary>One line, or null when it is malformed (skipped silently: echoing it could leak a secret).</summary>
    private static (string, RepositoryAccess)? ParseLine(string line)
    {
        var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (!Uri.TryCreate(fields[0], UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host) ||
            uri.Scheme is not ("http" or "https" or "oci"))
        {
            return null;
        }

        GitCredentials? basic = null;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            basic = new GitCredentials(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
        }

        string? bearer = null, ca = null;
        var insecure = false;
        var plainHttp = false;
        foreach (var option in fields.Skip(1))
        {
            var (key, value) = option.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (option[..eq], option[(eq + 1)..]) : (option, "");
            switch (key)
            {
                case "bearer": bearer = value; break;
                case "ca": ca = value; break;
                case "insecure-skip-tls-verify": insecure = value is "" or "true"; break;
                case "plain-http": plainHttp = value is "" or "true"; break;
                default: return null;
            }
        }

        // Git's prefixes drop a trailing ".git" (RepositoryUrl.Normalized); chart URLs keep their path as is.
        var prefix = Charts.ChartRepositoryUrl.Normalize(uri);
        if (uri.Scheme != "oci" && prefix.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            prefix = prefix[..^4];
        }

        return (prefix, new RepositoryAccess(basic, bearer, ca, insecure) { PlainHttp = plainHttp });
    }
}
