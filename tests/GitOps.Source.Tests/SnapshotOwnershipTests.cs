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

        string abandoned;
        var previous = new GitSource(h.Options, NullLogger<GitSource>.Instance);
        using (var old = await previous.GetSnapshotAsync(h.Url, sha, null, SourceHarness.Timeout))
        {
            abandoned = old.Root;
        }

        // Simulate a crashed process: its lock is released but its files stay.
        var instanceDirectory = Path.GetDirectoryName(abandoned)!;
        previous.ReleaseLockForTests();
        Assert.True(Directory.Exists(abandoned));

        using var second = new GitSource(h.Options, NullLogger<GitSource>.Instance);
        Assert.True(File.Exists(Path.Combine(lease.Root, "a.yaml")));
        Assert.False(Directory.Exists(instanceDirectory));
        previous.Dispose();
    }
}
