using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Source.Tests;

public sealed class SnapshotOwnershipTests : IDisposable
{
    private readonly SourceHarness h = new();

    public void Dispose() => h.Dispose();

    [Fact]
    public async Task A_second_instance_on_the_same_cache_leaves_live_snapshots_alone_and_cleans_abandoned_ones()
    {
        var sha = h.Repo.CommitFiles("one", ("a.yaml", "a\n"));
        h.Repo.Push("main");
        using var lease = await h.Source.GetSnapshotAsync(h.Url, sha, null, SourceHarness.Timeout);

        // What a crashed process leaves: an instance directory with its snapshots and a lock file nobody holds.
        var live = Path.GetDirectoryName(lease.Root)!;
        var abandoned = Path.Combine(Path.GetDirectoryName(live)!, "0123456789abcdef");
        CopyTree(live, abandoned);
        Assert.True(File.Exists(Path.Combine(abandoned, Path.GetFileName(lease.Root), "a.yaml")));

        using var second = new GitSource(h.Options, NullLogger<GitSource>.Instance);
        Assert.True(File.Exists(Path.Combine(lease.Root, "a.yaml")), "a live instance's snapshots are left alone");
        Assert.False(Directory.Exists(abandoned), "an abandoned instance's are removed");
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            var target = Path.Combine(to, Path.GetFileName(file));
            if (Path.GetFileName(file) == ".lock")
            {
                File.WriteAllBytes(target, []); // the live one is locked against reading
            }
            else
            {
                File.Copy(file, target);
            }
        }

        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            CopyTree(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }
}
