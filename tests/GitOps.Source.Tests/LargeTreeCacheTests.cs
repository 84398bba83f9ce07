using GitOps.Testing;
using LibGit2Sharp;

namespace GitOps.Source.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LibGit2CacheCollection
{
    /// <summary>libgit2's cache counters are process-wide: tests that read them run alone.</summary>
    public const string Name = "libgit2 object cache";
}

/// <summary>A large tree, once read, stays parsed in the repository handle that read it (libgit2 caches no tree over
/// 4 KiB unless told), so the apps of a monorepo that a push touches do not each parse the big directory again.</summary>
[Collection(LibGit2CacheCollection.Name)]
public sealed class LargeTreeCacheTests : IDisposable
{
    private readonly TempGitRepository git = TempGitRepository.Create();

    public void Dispose() => git.Dispose();

    [Fact]
    public void A_large_tree_stays_in_the_object_cache_of_the_handle_that_read_it()
    {
        Assert.True(LargeTreeCache.Enable());
        // ~40 bytes an entry in the tree object: ~80 KB, twenty times libgit2's default limit for a cached tree.
        git.CommitFiles("apps", [.. Enumerable.Range(0, 2000).Select(i => ($"apps/app-{i:D4}/cm.yaml", "x\n"))]);
        using var repo = new Repository(git.WorkPath);
        var commit = repo.Head.Tip;
        var appsTree = repo.ObjectDatabase.RetrieveObjectMetadata(((Tree)commit["apps"].Target).Id).Size;
        var before = LargeTreeCache.CachedBytes();

        Assert.NotNull(commit.Tree["apps/app-1234"]);

        var held = LargeTreeCache.CachedBytes() - before;
        Assert.True(held >= appsTree, $"the object cache grew by {held} bytes for a {appsTree}-byte tree");
    }
}
