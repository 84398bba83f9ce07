using GitOps.Applications;
using GitOps.Controller.Adapters;
using GitOps.Controller.State;
using GitOps.Source;
using GitOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Controller.Tests.Adapters;

/// <summary>A pass reads git at least as fresh as the moment it was queued: a push before that is always seen,
/// and one fetch serves every pass queued before it started (real repositories over file://).</summary>
public sealed class FreshResolveTests : IDisposable
{
    private readonly TempGitRepository repo = TempGitRepository.Create();
    private readonly string cache = Path.Combine(Path.GetTempPath(), "gitops-fresh-" + Guid.NewGuid().ToString("N"));
    private readonly GitSource git;
    private readonly GitOps.Source.Charts.ChartSource charts;
    private readonly SourceAdapter adapter;

    public FreshResolveTests()
    {
        git = new GitSource(new GitSourceOptions { CacheDirectory = cache }, NullLogger<GitSource>.Instance);
        charts = new GitOps.Source.Charts.ChartSource(new GitOps.Source.Charts.ChartSourceOptions { CacheDirectory = Path.Combine(cache, "charts") },
            NullLogger<GitOps.Source.Charts.ChartSource>.Instance);
        adapter = new SourceAdapter(git, charts, new RevisionPool(), TimeProvider.System);
    }

    private SourceSpec Source => new() { RepoUrl = repo.FileUrl, TargetRevision = "main", Path = "." };

    public void Dispose()
    {
        git.Dispose();
        charts.Dispose();
        repo.Dispose();
        if (Directory.Exists(cache))
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public async Task A_push_before_the_pass_was_queued_is_seen()
    {
        repo.Commit("first");
        repo.Push("main");
        await adapter.ResolveAsync(Source, DateTimeOffset.UtcNow, CancellationToken.None);

        repo.Commit("second");
        repo.Push("main");
        var second = repo.Git("rev-parse", "HEAD");
        var resolved = await adapter.ResolveAsync(Source, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(second, resolved.Sha);
    }

    [Fact]
    public async Task A_pass_queued_before_the_last_fetch_does_not_fetch_again()
    {
        var first = repo.Commit("first");
        repo.Push("main");
        var queued = DateTimeOffset.UtcNow;
        await adapter.ResolveAsync(Source, queued, CancellationToken.None);

        repo.Commit("second");
        repo.Push("main"); // after the pass was queued: the fetch that already ran serves it
        var resolved = await adapter.ResolveAsync(Source, queued, CancellationToken.None);

        Assert.Equal(first, resolved.Sha);
    }
}
