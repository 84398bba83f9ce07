using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOps.Source.Tests;

public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task AddGitSource_registers_one_shared_source_with_the_hosts_credentials()
    {
        using var h = new SourceHarness();
        var sha = h.Repo.CommitFiles("one", ("a", "1"));
        h.Repo.Push("main");
        var credentials = new NoCredentials();
        var services = new ServiceCollection().AddLogging().AddSingleton<ICredentialsSource>(credentials)
            .AddGitSource(new GitSourceOptions { CacheDirectory = Path.Combine(h.Repo.Root, "di-cache") });
        await using var provider = services.BuildServiceProvider();

        var source = provider.GetRequiredService<IGitSource>();
        Assert.Same(source, provider.GetRequiredService<GitSource>());
        Assert.Equal(sha, (await source.ResolveAsync(h.Url, "main", true, SourceHarness.Timeout)).Sha);
        Assert.NotNull(provider.GetRequiredService<ILogger<GitSource>>());
    }

    private sealed class NoCredentials : ICredentialsSource
    {
        public ValueTask<GitCredentials?> GetAsync(RepositoryUrl repository, CancellationToken cancellationToken) =>
            ValueTask.FromResult<GitCredentials?>(null);
    }
}
