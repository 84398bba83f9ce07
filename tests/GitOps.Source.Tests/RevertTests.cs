using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Source.Tests;

public sealed class RevertTests : IDisposable
{
    private readonly SourceHarness h = new();

    public void Dispose() => h.Dispose();

    private string RemoteFile(string branch, string path) => h.Repo.GitRemote("show", $"{branch}:{path}");

    private string RemoteHead(string branch = "main") => h.Repo.GitRemote("rev-parse", "refs/heads/" + branch);

    [Fact]
    public async Task Reverting_one_commit_pushes_a_standard_revert_commit()
    {
        h.Repo.CommitFiles("v1", ("apps/a/image", "nginx:1.0\n"));
        var bad = h.Repo.CommitFiles("Bump image to 2.0", ("apps/a/image", "nginx:2.0\n"));
        h.Repo.CommitFiles("unrelated", ("apps/b/x", "b\n"));
        h.Repo.Push("main");

        var result = await h.Source.RevertAsync(new RevertRequest
        {
            RepositoryUrl = h.Url,
            Branch = "main",
            Commit = bad[..8],
            AuthorName = "Rollback Bot",
            AuthorEmail = "rollback@example.com",
        }, SourceHarness.Timeout);

        Assert.Equal([bad], result.RevertedShas);
        Assert.Equal(result.NewHeadSha, RemoteHead());
        Assert.Equal("nginx:1.0", RemoteFile("main", "apps/a/image"));
        Assert.Equal("b", RemoteFile("main", "apps/b/x"));
        Assert.Equal($"Revert \"Bump image to 2.0\"\n\nThis reverts commit {bad}.",
            h.Repo.GitRemote("log", "-1", "--format=%B", "main").Trim());
        Assert.Equal("Rollback Bot <rollback@example.com>", h.Repo.GitRemote("log", "-1", "--format=%an <%ae>", "main"));
        // The cache follows the push.
        Assert.Equal(result.NewHeadSha, (await h.Source.ResolveAsync(h.Url, "main", false, SourceHarness.Timeout)).Sha);
    }

    [Fact]
    public async Task Reverting_everything_after_a_revision_goes_newest_first_including_merges()
    {
        var good = h.Repo.CommitFiles("good", ("apps/a/image", "v1\n"), ("apps/b/image", "v1\n"));
        var c1 = h.Repo.CommitFiles("a to v2", ("apps/a/image", "v2\n"));
        h.Repo.Git("checkout", "--quiet", "-b", "topic");
        h.Repo.CommitFiles("b to v2", ("apps/b/image", "v2\n"));
        h.Repo.Git("checkout", "--quiet", "main");
        var c2 = h.Repo.CommitFiles("a to v3", ("apps/a/image", "v3\n"));
        h.Repo.Git("merge", "--quiet", "--no-ff", "-m", "merge topic", "topic");
        var merge = h.Repo.Git("rev-parse", "HEAD");
        h.Repo.Push("main");

        var result = await h.Source.RevertAsync(
            new RevertRequest { RepositoryUrl = h.Url, Branch = "main", After = good }, SourceHarness.Timeout);

        Assert.Equal([merge, c2, c1], result.RevertedShas);
        Assert.Equal("v1", RemoteFile("main", "apps/a/image"));
        Assert.Equal("v1", RemoteFile("main", "apps/b/image"));
        var subjects = h.Repo.GitRemote("log", "-3", "--format=%s", "main").Split('\n');
        Assert.Equal(["Revert \"a to v2\"", "Revert \"a to v3\"", "Revert \"merge topic\""], subjects);
    }

    [Fact]
    public async Task A_conflicting_revert_is_an_error_and_leaves_the_remote_unchanged()
    {
        h.Repo.CommitFiles("v1", ("apps/a/image", "v1\n"));
        var bad = h.Repo.CommitFiles("v2", ("apps/a/image", "v2\n"));
        h.Repo.CommitFiles("v3", ("apps/a/image", "v3\n"));
        h.Repo.Push("main");
        var before = RemoteHead();

        var error = await Assert.ThrowsAsync<GitSourceException>(() => h.Source.RevertAsync(
            new RevertRequest { RepositoryUrl = h.Url, Branch = "main", Commit = bad }, SourceHarness.Timeout));
        Assert.Equal(GitSourceErrorKind.Conflict, error.Kind);
        Assert.Contains("apps/a/image", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, RemoteHead());
    }

    [Fact]
    public async Task Someone_pushing_meanwhile_causes_a_refetch_and_a_retry()
    {
        h.Repo.CommitFiles("v1", ("apps/a/image", "v1\n"));
        var bad = h.Repo.CommitFiles("v2", ("apps/a/image", "v2\n"));
        h.Repo.Push("main");
        string? racing = null;
        // Someone else pushes between the revert's fetch and its push.
        using var source = new GitSource(h.Options with { CacheDirectory = h.CacheDirectory + "-racing" },
            NullLogger<GitSource>.Instance, credentials: null, clock: null, beforeRevertPush: attempt =>
            {
                if (attempt == 1)
                {
                    racing = h.Repo.CommitFiles("someone else", ("apps/b/x", "b\n"));
                    h.Repo.Push("main");
                }
            });

        var result = await source.RevertAsync(
            new RevertRequest { RepositoryUrl = h.Url, Branch = "main", Commit = bad }, SourceHarness.Timeout);

        Assert.Equal(2, result.Attempts);
        Assert.Equal(result.NewHeadSha, RemoteHead());
        Assert.Equal(racing, h.Repo.GitRemote("rev-parse", "main~1"));
        Assert.Equal("v1", RemoteFile("main", "apps/a/image"));
        Assert.Equal("b", RemoteFile("main", "apps/b/x"));
    }

    [Fact]
    public async Task A_commit_not_on_the_branch_is_refused()
    {
        h.Repo.CommitFiles("v1", ("a", "1\n"));
        h.Repo.Git("checkout", "--quiet", "-b", "other");
        var elsewhere = h.Repo.CommitFiles("other", ("a", "2\n"));
        h.Repo.Push("main", "other");
        var error = await Assert.ThrowsAsync<GitSourceException>(() => h.Source.RevertAsync(
            new RevertRequest { RepositoryUrl = h.Url, Branch = "main", Commit = elsewhere }, SourceHarness.Timeout));
        Assert.Equal(GitSourceErrorKind.RevisionNotFound, error.Kind);
    }
}
