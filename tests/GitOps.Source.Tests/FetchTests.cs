namespace GitOps.Source.Tests;

public sealed class FetchTests : IDisposable
{
    private readonly SourceHarness h = new(defaultBranch: "master");

    public void Dispose() => h.Dispose();

    [Fact]
    public async Task Second_fetch_without_remote_changes_downloads_nothing()
    {
        h.Repo.CommitFiles("one", ("a", "1"));
        h.Repo.Push("master");
        var firstFetch = await h.Source.FetchAsync(h.Url, SourceHarness.Timeout);
        Assert.True(firstFetch.Fetched);
        Assert.Contains(firstFetch.Changes, c => c.Name == "refs/heads/master" && c.OldSha is null);

        var again = await h.Source.FetchAsync(h.Url, SourceHarness.Timeout);
        Assert.False(again.Fetched);
        Assert.Empty(again.Changes);
    }

    [Fact]
    public async Task Force_push_replaces_the_branch_and_reports_old_and_new()
    {
        h.Repo.CommitFiles("one", ("a", "1"));
        var two = h.Repo.CommitFiles("two", ("a", "2"));
        h.Repo.Push("master");
        await h.Source.FetchAsync(h.Url, SourceHarness.Timeout);

        h.Repo.Git("reset", "--quiet", "--hard", "HEAD~1");
        var rewritten = h.Repo.CommitFiles("two, rewritten", ("a", "2b"));
        h.Repo.Push("--force", "master");

        var fetched = await h.Source.FetchAsync(h.Url, SourceHarness.Timeout);
        var change = fetched.Branch("master");
        Assert.NotNull(change);
        Assert.Equal(two, change.OldSha);
        Assert.Equal(rewritten, change.NewSha);
        Assert.Equal(rewritten, (await h.Source.ResolveAsync(h.Url, "master", false, SourceHarness.Timeout)).Sha);
    }

    [Fact]
    public async Task Renamed_default_branch_moves_head_and_prunes_the_old_branch()
    {
        var one = h.Repo.CommitFiles("one", ("a", "1"));
        h.Repo.Push("master");
        Assert.Equal("refs/heads/master", (await h.Source.ResolveAsync(h.Url, "HEAD", true, SourceHarness.Timeout)).Reference);

        h.Repo.Git("branch", "-m", "master", "main");
        h.Repo.Push("main");
        h.Repo.GitRemote("symbolic-ref", "HEAD", "refs/heads/main");
        h.Repo.Push("--delete", "master");

        var fetched = await h.Source.FetchAsync(h.Url, SourceHarness.Timeout);
        Assert.Contains(fetched.Changes, c => c.Name == "refs/heads/master" && c.NewSha is null);
        var head = await h.Source.ResolveAsync(h.Url, "HEAD", false, SourceHarness.Timeout);
        Assert.Equal("refs/heads/main", head.Reference);
        Assert.Equal(one, head.Sha);
        var gone = await Assert.ThrowsAsync<GitSourceException>(
            () => h.Source.ResolveAsync(h.Url, "master", true, SourceHarness.Timeout));
        Assert.Equal(GitSourceErrorKind.RevisionNotFound, gone.Kind);
    }

    [Fact]
    public async Task Poll_compares_remote_refs_without_fetching()
    {
        h.Repo.CommitFiles("one", ("a", "1"));
        h.Repo.Push("master");
        Assert.Contains((await h.Source.PollAsync(h.Url, SourceHarness.Timeout)), c => c.Name == "refs/heads/master");
        await h.Source.FetchAsync(h.Url, SourceHarness.Timeout);
        Assert.Empty(await h.Source.PollAsync(h.Url, SourceHarness.Timeout));

        var two = h.Repo.CommitFiles("two", ("a", "2"));
        h.Repo.Push("master");
        h.Repo.Git("tag", "v1.0.0");
        h.Repo.Push("v1.0.0");
        var changes = await h.Source.PollAsync(h.Url, SourceHarness.Timeout);
        Assert.Equal(["refs/heads/master", "refs/tags/v1.0.0"], changes.Select(c => c.Name));
        Assert.Equal(two, changes[0].NewSha);
        // Polling did not fetch: the mirror still has the old tip.
        Assert.NotEqual(two, (await h.Source.ResolveAsync(h.Url, "master", false, SourceHarness.Timeout)).Sha);
    }

    [Fact]
    public async Task A_missing_repository_is_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<GitSourceException>(
            () => h.Source.FetchAsync("file:///nonexistent/repo.git", SourceHarness.Timeout));
        Assert.Equal(GitSourceErrorKind.Network, error.Kind);
        Assert.Contains("/nonexistent/repo", error.Message, StringComparison.Ordinal);
    }
}
