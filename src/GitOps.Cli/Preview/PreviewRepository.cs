using System.Text.RegularExpressions;
using GitOps.Source;
using LibGit2Sharp;

namespace GitOps.Cli.Preview;

/// <summary>
/// The repository a preview compares: a local checkout (a CI job's working copy) or a URL. A local checkout's
/// revisions are resolved with git's own syntax (<c>origin/main</c>, <c>HEAD~1</c>, a detached HEAD), and it is
/// known by its path and by its remotes' URLs, so apps that name it by its https URL still match.
/// </summary>
internal sealed partial class PreviewRepository
{
    /// <summary>A local checkout's mirror must see more than branches and tags: remote-tracking refs, pull-request
    /// refs and a detached HEAD are what CI jobs check out.</summary>
    public static readonly IReadOnlyList<string> LocalFetchRefSpecs = ["+refs/*:refs/*", "+HEAD:refs/gitops-preview/HEAD"];

    private readonly string? gitDirectory;

    private PreviewRepository(string fetchUrl, IReadOnlySet<string> identities, string? gitDirectory)
    {
        FetchUrl = fetchUrl;
        Identities = identities;
        this.gitDirectory = gitDirectory;
    }

    /// <summary>What the source cache fetches from (a local path or the URL as given).</summary>
    public string FetchUrl { get; }

    /// <summary>Normalised URLs this repository is known by (<see cref="RepositoryUrl.Normalized"/>).</summary>
    public IReadOnlySet<string> Identities { get; }

    public bool IsLocal => gitDirectory is not null;

    /// <summary>Display form: the normalised URL, never user info.</summary>
    public string Display => Identities.Order(StringComparer.Ordinal).FirstOrDefault(i => i.StartsWith("http", StringComparison.Ordinal))
                             ?? Identities.First();

    public static PreviewRepository Open(string pathOrUrl)
    {
        if (Directory.Exists(pathOrUrl))
        {
            var gitDir = Repository.Discover(Path.GetFullPath(pathOrUrl))
                         ?? throw new InvalidDataException($"{pathOrUrl}: not inside a git repository");
            using var repo = new Repository(gitDir);
            var root = repo.Info.IsBare ? repo.Info.Path : repo.Info.WorkingDirectory;
            var identities = new HashSet<string>(StringComparer.Ordinal) { RepositoryUrl.Parse(root).Normalized };
            foreach (var remote in repo.Network.Remotes)
            {
                if (Identity(remote.Url) is { } identity)
                {
                    identities.Add(identity);
                }
            }

            return new PreviewRepository(root, identities, gitDir);
        }

        return new PreviewRepository(pathOrUrl, new HashSet<string>(StringComparer.Ordinal) { RepositoryUrl.Parse(pathOrUrl).Normalized }, null);
    }

    /// <summary>True when an app's repoURL names this repository.</summary>
    public bool IsSourceOf(string repoUrl) => Identity(repoUrl) is { } identity && Identities.Contains(identity);

    /// <summary>A local checkout resolves any revision git can (full SHA); a URL's revisions are resolved by the
    /// source cache (branches, tags, SHAs), so this returns the revision unchanged.</summary>
    public string Resolve(string revision)
    {
        if (gitDirectory is null)
        {
            return revision;
        }

        using var repo = new Repository(gitDirectory);
        var commit = repo.Lookup<Commit>(revision)
                     ?? throw new InvalidDataException($"revision '{revision}' not found in {FetchUrl}");
        return commit.Sha;
    }

    /// <summary>The normalised identity of a URL; SSH forms count as their https twin (same host and path).</summary>
    private static string? Identity(string url)
    {
        var text = url.Trim();
        if (ScpLike().Match(text) is { Success: true } scp)
        {
            text = $"https://{scp.Groups["host"].Value}/{scp.Groups["path"].Value}";
        }
        else if (text.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(text, UriKind.Absolute, out var ssh))
        {
            text = $"https://{ssh.Host}{ssh.AbsolutePath}";
        }

        try
        {
            return RepositoryUrl.Parse(text).Normalized;
        }
        catch (GitSourceException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^(?:[^@/]+@)?(?<host>[^:/]+):(?!//)(?<path>.+)$")]
    private static partial Regex ScpLike();
}
