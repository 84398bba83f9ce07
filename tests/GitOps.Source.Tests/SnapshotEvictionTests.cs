namespace GitOps.Source.Tests;

public sealed class SnapshotEvictionTests : IDisposable
{
    // Each commit's tree is ~40 KiB; the budget holds two.
    private readonly SourceHarness h = new(new GitSourceOptions { CacheDirectory = "unused", MaxSnapshotDiskBytes = 100 * 1024 });

    public void Dispose() => h.Dispose();

    private string Push(int n)
    {
        var sha = h.Repo.CommitFiles($"c{n}", ("data.txt", new string((char)('a' + n), 40 * 1024)));
        h.Repo.Push("main");
        return sha;
    }

    [Fact]
    public async Task Least_recently_used_unleased_snapshots_are_removed_past_the_budget()
    {
        var shas = Enumerable.Range(0, 4).Select(Push).ToList();
        await h.Source.FetchAsync(h.Url, SourceHarness.Timeout);

        string held;
        string lastReleased;
        using (var pinned = await h.Source.GetSnapshotAsync(h.Url, shas[0], null, SourceHarness.Timeout))
        {
            held = pinned.Root;
            var released = new List<string>();
            for (var i = 1; i < 4; i++)
            {
                using var lease = await h.Source.GetSnapshotAsync(h.Url, shas[i], null, SourceHarness.Timeout);
                released.Add(lease.Root);
            }

            // The leased one survives although it is the oldest; the oldest released one went.
            Assert.True(Directory.Exists(held));
            Assert.False(Directory.Exists(released[0]));
            Assert.True(Directory.Exists(released[^1]));
            Assert.True(h.Source.SnapshotDiskBytes <= 100 * 1024);
            lastReleased = released[^1];
        }

        // The pinned one was released last, so it is now more recent than the newest commit's snapshot.
        using var again = await h.Source.GetSnapshotAsync(h.Url, shas[1], null, SourceHarness.Timeout);
        Assert.True(Directory.Exists(held));
        Assert.False(Directory.Exists(lastReleased));
    }
}
