namespace GitOps.Source.Tests;

/// <summary>A directory's id at a commit: equal for equal contents (a commit to a sibling leaves it), different when
/// a file under it changed, null when the path is missing or a file.</summary>
public sealed class DirectoryIdTests : IDisposable
{
    private readonly SourceHarness h = new();

    public void Dispose() => h.Dispose();

    [Fact]
    public async Task A_commit_to_a_sibling_leaves_the_id_and_one_to_the_directory_changes_it()
    {
        var first = h.Repo.CommitFiles("base", ("apps/a/app.yaml", "a\n"), ("apps/b/app.yaml", "b\n"), ("README", "r\n"));
        var sibling = h.Repo.CommitFiles("edit b", ("apps/b/app.yaml", "b2\n"));
        var own = h.Repo.CommitFiles("edit a", ("apps/a/deeper/more.yaml", "m\n"));
        h.Repo.Push("main");
        await h.Source.FetchAsync(h.Url, SourceHarness.Timeout);

        async Task<string?> Id(string sha, string? path) => await h.Source.GetDirectoryIdAsync(h.Url, sha, path, SourceHarness.Timeout);

        Assert.NotNull(await Id(first, "apps/a"));
        Assert.Equal(await Id(first, "apps/a"), await Id(sibling, "./apps/a/"));
        Assert.NotEqual(await Id(sibling, "apps/a"), await Id(own, "apps/a"));
        Assert.NotEqual(await Id(first, "apps/b"), await Id(sibling, "apps/b"));
        Assert.NotEqual(await Id(first, null), await Id(sibling, ""));
        Assert.Null(await Id(first, "apps/missing"));
        Assert.Null(await Id(first, "README"));
    }

    [Fact]
    public async Task A_commit_fetched_after_a_lookup_is_seen_by_the_next_one()
    {
        var first = h.Repo.CommitFiles("base", ("apps/a/app.yaml", "a\n"));
        h.Repo.Push("main");
        await h.Source.FetchAsync(h.Url, SourceHarness.Timeout);
        var before = await h.Source.GetDirectoryIdAsync(h.Url, first, "apps/a", SourceHarness.Timeout);

        // The lookups share a kept repository handle: the fetch must not leave it blind to the new objects.
        var second = h.Repo.CommitFiles("edit a", ("apps/a/app.yaml", "a2\n"));
        h.Repo.Push("main");
        await h.Source.FetchAsync(h.Url, SourceHarness.Timeout);
        var after = await h.Source.GetDirectoryIdAsync(h.Url, second, "apps/a", SourceHarness.Timeout);

        Assert.NotNull(after);
        Assert.NotEqual(before, after);
    }
}
