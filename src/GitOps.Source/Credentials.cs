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

/// <summary>
/// Credentials from a file in git-credential-store format: one <c>https://user:token@host[/path]</c> per line
/// (user and token URL-encoded). The longest matching path prefix wins; the file is re-read when it changes.
/// </summary>
public sealed class CredentialsFile(string path) : ICredentialsSource
{
    private readonly Lock gate = new();
    private DateTime loadedStamp;
    private IReadOnlyList<(string Prefix, GitCredentials Credentials)> entries = [];

    public ValueTask<GitCredentials?> GetAsync(RepositoryUrl repository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        if (repository.Transport == GitTransport.File)
        {
            return ValueTask.FromResult<GitCredentials?>(null);
        }

        var candidates = Load();
        GitCredentials? best = null;
        var bestLength = -1;
        foreach (var (prefix, credentials) in candidates)
        {
            if (Matches(repository.Normalized, prefix) && prefix.Length > bestLength)
            {
                best = credentials;
                bestLength = prefix.Length;
            }
        }

        return ValueTask.FromResult(best);
    }

    private static bool Matches(string normalized, string prefix) =>
        normalized.Equals(prefix, StringComparison.Ordinal) ||
        normalized.StartsWith(prefix + "/", StringComparison.Ordinal);

    private IReadOnlyList<(string, GitCredentials)> Load()
    {
        var stamp = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
        lock (gate)
        {
            if (stamp == loadedStamp)
            {
                return entries;
            }

            var parsed = new List<(string, GitCredentials)>();
            if (stamp != DateTime.MinValue)
            {
                foreach (var raw in File.ReadAllLines(path))
                {
                    var line = raw.Trim();
                    if (line.Length == 0 || line.StartsWith('#'))
                    {
                        continue;
                    }

                    try
                    {
                        var url = RepositoryUrl.Parse(line);
                        if (url.EmbeddedCredentials is { } credentials)
                        {
                            parsed.Add((url.Normalized, credentials));
                        }
                    }
                    catch (GitSourceException)
                    {
                        // A malformed line is skipped; echoing it could leak a secret.
                    }
                }
            }

            entries = parsed;
            loadedStamp = stamp;
            return entries;
        }
    }
}
