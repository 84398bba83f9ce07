namespace GitOps.Source.Tests;

public sealed class RevisionResolutionTests : IDisposable
{
    private readonly SourceHarness h = new();
    private readonly string first;
    private readonly string second;
    private readonly string feature;

    public RevisionResolutionTests()
    {
        first = h.Repo.CommitFiles("first commit", ("apps/a/app.yaml", "a: 1\n"));
        h.Repo.Git("tag", "v1.2.0");
        h.Repo.Git("tag", "-a", "v1.4.3", "-m", "annotated release");
        second = h.Repo.CommitFiles("second commit\n\nwith a body", ("apps/a/app.yaml", "a: 2\n"));
        h.Repo.Git("tag", "v1.9.0");
        h.Repo.Git("tag", "v2.3.1");
        h.Repo.Git("tag", "v2.4.0-rc.1");
        h.Repo.Git("tag", "not-a-version");
        h.Repo.Git("checkout", "--quiet", "-b", "feature");
        feature = h.Repo.CommitFiles("feature work", ("apps/b/app.yaml", "b: 1\n"));
        h.Repo.Git("checkout", "--quiet", "main");
        h.Repo.Push("main", "feature", "--tags");
    }

    public void Dispose() => h.Dispose();

    private Task<ResolvedRevision> Resolve(string revision) =>
        h.Source.ResolveAsync(h.Url, revision, refresh: true, SourceHarness.Timeout);

    [Fact]
    public async Task Branch_tag_and_head_resolve_to_commits_with_metadata()
    {
        var main = await Resolve("main");
        Assert.Equal(second, main.Sha);
        Assert.Equal("second commit", main.Subject);
        Assert.Equal("Test Author", main.AuthorName);
        Assert.Equal("author@example.com", main.AuthorEmail);
        Assert.Equal("refs/heads/main", main.Reference);
        Assert.True(DateTimeOffset.UtcNow - main.Date < TimeSpan.FromMinutes(5));

        Assert.Equal(feature, (await Resolve("feature")).Sha);
        Assert.Equal(feature, (await Resolve("refs/heads/feature")).Sha);
        Assert.Equal(second, (await Resolve("HEAD")).Sha);
        Assert.Equal(first, (await Resolve("v1.2.0")).Sha);
        Assert.Equal(first, (await Resolve("v1.4.3")).Sha); // annotated: peeled to the commit
    }

    [Fact]
    public async Task Full_and_short_shas_resolve()
    {
        Assert.Equal(first, (await Resolve(first)).Sha);
        Assert.Equal(first, (await Resolve(first[..8])).Sha);
        Assert.Equal(feature, (await Resolve(feature[..12])).Sha);
    }

    [Theory]
    [InlineData(">=1.2.0 <2.0.0", "v1.9.0")]
    [InlineData("~1.4", "v1.4.3")]
    [InlineData("^2", "v2.3.1")]
    [InlineData("^1", "v1.9.0")]
    [InlineData("*", "v2.3.1")]
    [InlineData(">=2.4.0-rc.0", "v2.4.0-rc.1")]
    public async Task Semver_ranges_pick_the_highest_matching_tag(string range, string expectedTag)
    {
        var resolved = await Resolve(range);
        Assert.Equal("refs/tags/" + expectedTag, resolved.Reference);
    }

    [Theory]
    [InlineData("no-such-branch")]
    [InlineData(">=9.0.0")]
    [InlineData("0123456789abcdef0123456789abcdef01234567")]
    public async Task Unknown_revisions_are_a_clear_error(string revision)
    {
        var error = await Assert.ThrowsAsync<GitSourceException>(() => Resolve(revision));
        Assert.Equal(GitSourceErrorKind.RevisionNotFound, error.Kind);
        Assert.Contains(revision, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_local_path_works_as_a_repository_url()
    {
        var resolved = await h.Source.ResolveAsync(h.Repo.BarePath, "main", refresh: true, SourceHarness.Timeout);
        Assert.Equal(second, resolved.Sha);
    }

    [Fact]
    public async Task A_new_push_is_seen_after_refresh_but_not_without()
    {
        Assert.Equal(second, (await Resolve("main")).Sha);
        var third = h.Repo.CommitFiles("third", ("x", "1"));
        h.Repo.Push("main");
        var stale = await h.Source.ResolveAsync(h.Url, "main", refresh: false, SourceHarness.Timeout);
        Assert.Equal(second, stale.Sha);
        Assert.Equal(third, (await Resolve("main")).Sha);
    }
}
