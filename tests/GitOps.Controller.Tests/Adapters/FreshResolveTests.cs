using GitOps.Applications;
using GitOps.Controller.Adapters;
using GitOps.Controller.State;
using GitOps.Source;
using GitOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Controller.Tests.Adapters;

/// <summary>A pass reads git at least as fresh as the moment it was queued: a push before that is always seen,
/// and one fetch serves every pass queued before it started, also while it is still running (real repositories over
/// file://).</summary>
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

    [Fact]
    public async Task Passes_queued_before_a_fetch_in_flight_join_it_instead_of_fetching_again()
    {
        repo.Commit("first");
        repo.Push("main");
        await adapter.ResolveAsync(Source, DateTimeOffset.UtcNow, CancellationToken.None);
        var pushed = repo.Commit("second");
        repo.Push("main");
        var gated = new GatedRefresh(git);
        var joining = new SourceAdapter(gated, charts, new RevisionPool(), TimeProvider.System);
        var queued = DateTimeOffset.UtcNow; // a webhook queues five apps at once

        var first = joining.ResolveAsync(Source, queued, CancellationToken.None); // its fetch is held in flight
        var others = Enumerable.Range(0, 4).Select(_ => joining.ResolveAsync(Source, queued, CancellationToken.None)).ToList();
        gated.Release();
        var resolved = await Task.WhenAll(others.Prepend(first));

        Assert.All(resolved, r => Assert.Equal(pushed, r.Sha));
        Assert.Equal(1, gated.Refreshes);
    }

    /// <summary>The real source, with each refreshing resolve counted and held until released.</summary>
    private sealed class GatedRefresh(IGitSource inner) : IGitSource
    {
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int refreshes;

        public int Refreshes => Volatile.Read(ref refreshes);

        public void Release() => released.TrySetResult();

        public async Task<ResolvedRevision> ResolveAsync(string repositoryUrl, string revision, bool refresh, CancellationToken cancellationToken)
        {
            if (refresh)
            {
                Interlocked.Increment(ref refreshes);
                await released.Task.WaitAsync(cancellationToken);
            }

            return await inner.ResolveAsync(repositoryUrl, revision, refresh, cancellationToken);
        }

        public Task<IReadOnlyList<RefChange>> PollAsync(string repositoryUrl, CancellationToken cancellationToken) =>
            inner.PollAsync(repositoryUrl, cancellationToken);

        public Task<FetchResult> FetchAsync(string repositoryUrl, CancellationToken cancellationToken) =>
            inner.FetchAsync(repositoryUrl, cancellationToken);

        public Task<IReadOnlyList<string>> GetChangedPathsAsync(string repositoryUrl, string fromSha, string toSha, CancellationToken cancellationToken) =>
            inner.GetChangedPathsAsync(repositoryUrl, fromSha, toSha, cancellationToken);

        public Task<string?> GetDirectoryIdAsync(string repositoryUrl, string sha, string? path, CancellationToken cancellationToken) =>
            inner.GetDirectoryIdAsync(repositoryUrl, sha, path, cancellationToken);

        public Task<SnapshotLease> GetSnapshotAsync(string repositoryUrl, string sha, string? subPath, CancellationToken cancellationToken) =>
            inner.GetSnapshotAsync(repositoryUrl, sha, subPath, cancellationToken);

        public Task<RevertResult> RevertAsync(RevertRequest request, CancellationToken cancellationToken) =>
            inner.RevertAsync(request, cancellationToken);

        public Task<PromoteResult> PromoteAsync(PromoteRequest request, CancellationToken cancellationToken) =>
            inner.PromoteAsync(request, cancellationToken);

        public Task<CommitDescription?> DescribeAsync(string repositoryUrl, string sha, CancellationToken cancellationToken) =>
            inner.DescribeAsync(repositoryUrl, sha, cancellationToken);

        public Task<IReadOnlyList<CommitDescription>> LogAsync(string repositoryUrl, string branch, int max, CancellationToken cancellationToken) =>
            inner.LogAsync(repositoryUrl, branch, max, cancellationToken);
    }
}
