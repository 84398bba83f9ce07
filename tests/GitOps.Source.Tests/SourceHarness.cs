using GitOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Source.Tests;

/// <summary>A temp git remote (driven by the git CLI) plus a <see cref="GitSource"/> with its own cache.</summary>
internal sealed class SourceHarness : IDisposable
{
    public SourceHarness(GitSourceOptions? options = null, ICredentialsSource? credentials = null, string defaultBranch = "main")
    {
        Repo = TempGitRepository.Create(defaultBranch);
        CacheDirectory = Path.Combine(Repo.Root, "cache");
        Options = (options ?? new GitSourceOptions { CacheDirectory = CacheDirectory }) with { CacheDirectory = CacheDirectory };
        Source = new GitSource(Options, NullLogger<GitSource>.Instance, credentials);
    }

    public TempGitRepository Repo { get; }

    public string CacheDirectory { get; }

    public GitSourceOptions Options { get; }

    public GitSource Source { get; }

    public string Url => Repo.FileUrl;

    public static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    public void Dispose()
    {
        Source.Dispose();
        Repo.Dispose();
    }
}
