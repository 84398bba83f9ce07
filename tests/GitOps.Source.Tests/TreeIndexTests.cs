using GitOps.Testing;
using LibGit2Sharp;

namespace GitOps.Source.Tests;

/// <summary>Finding a commit's directory through <see cref="TreeIndex"/>, which indexes large trees once.</summary>
public sealed class TreeIndexTests : IDisposable
{
    // Each "apps/app-NNN" entry is ~34 bytes in the tree object, so 300 of them make "apps" large; the root and
    // "apps/a" stay small and are read directly.
    private const long LargeTreeBytes = 4096;

    private readonly TempGitRepository git = TempGitRepository.Create();
    private readonly List<ObjectId> reads = [];

    public void Dispose() => git.Dispose();

    private TreeIndex NewIndex(int maxEntries = 1 << 16, int indexAfterReads = 1) => new(LargeTreeBytes, maxEntries, indexAfterReads, id =>
    {
        lock (reads)
        {
            reads.Add(id);
        }
    });

    private string CommitRepository(string marker)
    {
        git.CommitFiles("apps", [.. Enumerable.Range(0, 300).Select(i => ($"apps/app-{i:D3}/deploy.yaml", marker)),
            ("apps/a/nested/deep/x.yaml", "x\n"), ("apps/a/deploy.yaml", "a\n"), ("apps/README.md", "r\n"),
            ("vendor/lib/y.yaml", "y\n"), ("README.md", "hi\n")]);
        // Submodules (gitlinks), in the large tree and in a small one, committed without `add -A` dropping them.
        var head = git.Git("rev-parse", "HEAD");
        git.Git("update-index", "--add", "--cacheinfo", $"160000,{head},apps/sub");
        git.Git("update-index", "--add", "--cacheinfo", $"160000,{head},vendor/sub");
        git.Git("commit", "--quiet", "-m", "submodules");
        return git.Git("rev-parse", "HEAD");
    }

    private static ObjectId Expected(Commit commit, string path) => ((Tree)commit[path].Target).Id;

    [Fact]
    public void Finds_nested_directories_through_small_and_large_trees()
    {
        var sha = CommitRepository("one\n");
        using var repo = new Repository(git.WorkPath);
        var commit = repo.Lookup<Commit>(sha);
        var index = NewIndex();

        foreach (var path in new[] { "apps", "vendor/lib", "apps/a", "apps/a/nested/deep", "apps/app-150", "apps/app-299" })
        {
            Assert.Equal(Expected(commit, path), index.FindDirectory(repo, commit.Tree, path));
        }

        // Builds resolve on several threads at once, each with its own repository.
        Parallel.For(0, 300, i =>
        {
            using var own = new Repository(git.WorkPath);
            var path = $"apps/app-{i:D3}";
            Assert.Equal(Expected(commit, path), index.FindDirectory(own, own.Lookup<Commit>(sha).Tree, path));
        });
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("apps/missing")]
    [InlineData("apps/missing/deeper")]
    [InlineData("README.md")]
    [InlineData("apps/README.md")]
    [InlineData("apps/a/deploy.yaml")]
    [InlineData("apps/a/deploy.yaml/x")]
    [InlineData("apps/sub")]
    [InlineData("vendor/sub")]
    [InlineData("APPS/a")]
    public void A_missing_path_or_one_that_is_not_a_directory_is_not_found(string path)
    {
        var sha = CommitRepository("one\n");
        using var repo = new Repository(git.WorkPath);
        var commit = repo.Lookup<Commit>(sha);
        var index = NewIndex();

        Assert.Null(index.FindDirectory(repo, commit.Tree, path));
        // Again, now that "apps" is indexed.
        Assert.NotNull(index.FindDirectory(repo, commit.Tree, "apps/a"));
        Assert.Null(index.FindDirectory(repo, commit.Tree, path));
    }

    [Fact]
    public void A_large_tree_is_read_once_then_resolved_from_its_index()
    {
        var sha = CommitRepository("one\n");
        using var repo = new Repository(git.WorkPath);
        var commit = repo.Lookup<Commit>(sha);
        var apps = Expected(commit, "apps");
        var index = NewIndex();

        Assert.Equal(Expected(commit, "apps/app-001"), index.FindDirectory(repo, commit.Tree, "apps/app-001"));
        Assert.Contains(apps, reads);

        reads.Clear();
        using var reopened = new Repository(git.WorkPath);
        var again = reopened.Lookup<Commit>(sha);
        Assert.Equal(Expected(again, "apps/a/nested"), index.FindDirectory(reopened, again.Tree, "apps/a/nested"));
        Assert.DoesNotContain(apps, reads);
        // The small trees on the way are still read (one known only by id is looked up first): the root, "apps/a".
        Assert.Equal([again.Tree.Id, Expected(again, "apps/a")], reads.Distinct());
    }

    [Fact]
    public void A_large_tree_is_indexed_only_after_enough_direct_reads()
    {
        var sha = CommitRepository("one\n");
        using var repo = new Repository(git.WorkPath);
        var commit = repo.Lookup<Commit>(sha);
        var apps = Expected(commit, "apps");
        var index = NewIndex(indexAfterReads: 3);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Expected(commit, $"apps/app-00{i}"), index.FindDirectory(repo, commit.Tree, $"apps/app-00{i}"));
        }

        Assert.Equal(3, reads.Count(id => id == apps));
        reads.Clear();
        Assert.Equal(Expected(commit, "apps/app-009"), index.FindDirectory(repo, commit.Tree, "apps/app-009"));
        Assert.DoesNotContain(apps, reads);
    }

    [Fact]
    public void A_path_asked_again_at_the_same_commit_reads_no_tree()
    {
        var sha = CommitRepository("one\n");
        var index = NewIndex(indexAfterReads: 1000);
        using (var repo = new Repository(git.WorkPath))
        {
            var commit = repo.Lookup<Commit>(sha);
            Assert.Equal(Expected(commit, "apps/app-007"), index.FindDirectory(repo, commit.Tree, "apps/app-007"));
            Assert.Contains(Expected(commit, "apps"), reads);
        }

        // As a snapshot build asks right after the directory-id lookup: another handle, the same commit and path.
        reads.Clear();
        using var reopened = new Repository(git.WorkPath);
        var again = reopened.Lookup<Commit>(sha);
        Assert.Equal(Expected(again, "apps/app-007"), index.FindDirectory(reopened, again.Tree, "apps/app-007"));
        Assert.Empty(reads);
        // Another path still reads the large tree directly (it is not indexed yet).
        Assert.Equal(Expected(again, "apps/app-008"), index.FindDirectory(reopened, again.Tree, "apps/app-008"));
        Assert.Contains(Expected(again, "apps"), reads);
    }

    [Fact]
    public void Indexes_beyond_the_entry_budget_are_dropped_least_recently_used_first()
    {
        var first = CommitRepository("one\n");
        var second = CommitRepository("two\n");
        using var repo = new Repository(git.WorkPath);
        Commit one = repo.Lookup<Commit>(first), two = repo.Lookup<Commit>(second);
        // Room for one "apps" index (301 directories) but not two.
        var index = NewIndex(maxEntries: 400);

        index.FindDirectory(repo, one.Tree, "apps/app-001");
        index.FindDirectory(repo, two.Tree, "apps/app-001");
        reads.Clear();
        index.FindDirectory(repo, two.Tree, "apps/app-002");
        Assert.DoesNotContain(Expected(two, "apps"), reads);
        index.FindDirectory(repo, one.Tree, "apps/app-002");
        Assert.Contains(Expected(one, "apps"), reads);
    }
}
