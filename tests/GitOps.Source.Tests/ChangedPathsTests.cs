namespace GitOps.Source.Tests;

public sealed class ChangedPathsTests : IDisposable
{
    private readonly SourceHarness h = new();

    public void Dispose() => h.Dispose();

    [Fact]
    public async Task Changed_paths_cover_edits_additions_deletions_renames_and_merges()
    {
        var from = h.Repo.CommitFiles("base", ("apps/a/app.yaml", "a\n"), ("apps/b/app.yaml", "b\n"),
            ("apps/c/app.yaml", "c\n"), ("base/common.yaml", "x\n"));
        h.Repo.Git("checkout", "--quiet", "-b", "topic");
        h.Repo.CommitFiles("edit a", ("apps/a/app.yaml", "a2\n"));
        h.Repo.Git("checkout", "--quiet", "main");
        h.Repo.Git("mv", "apps/b", "apps/b2");
        h.Repo.Git("rm", "--quiet", "apps/c/app.yaml");
        h.Repo.CommitFiles("move b, drop c, add d", ("apps/d/app.yaml", "d\n"));
        h.Repo.Git("merge", "--quiet", "--no-ff", "-m", "merge topic", "topic");
        var to = h.Repo.Git("rev-parse", "HEAD");
        h.Repo.Push("main");
        await h.Source.FetchAsync(h.Url, SourceHarness.Timeout);

        var changed = await h.Source.GetChangedPathsAsync(h.Url, from, to, SourceHarness.Timeout);
        Assert.Equal(["apps/a/app.yaml", "apps/b/app.yaml", "apps/b2/app.yaml", "apps/c/app.yaml", "apps/d/app.yaml"], changed);

        Assert.True(ChangeDetection.IsAffected("apps/a", changed));
        Assert.True(ChangeDetection.IsAffected("./apps/b2/", changed));
        Assert.False(ChangeDetection.IsAffected("base", changed));
        Assert.False(ChangeDetection.IsAffected("apps/a-other", changed));
        Assert.True(ChangeDetection.IsAffected("", changed));
        Assert.Contains(new[] { "base", "apps/d" }, new ChangedDirectories(changed).Affects);
    }

    [Fact]
    public async Task Without_a_previous_commit_every_file_counts_as_changed()
    {
        var sha = h.Repo.CommitFiles("one", ("apps/a/x", "1"), ("y", "2"));
        h.Repo.Push("main");
        var changed = await h.Source.GetChangedPathsAsync(h.Url, "", sha, SourceHarness.Timeout);
        Assert.Equal(["apps/a/x", "y"], changed);
    }
}
