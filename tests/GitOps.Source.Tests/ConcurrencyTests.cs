namespace GitOps.Source.Tests;

public sealed class ConcurrencyTests : IDisposable
{
    private readonly SourceHarness h = new();

    public void Dispose() => h.Dispose();

    [Fact]
    public async Task Concurrent_fetch_requests_share_one_download()
    {
        for (var i = 0; i < 5; i++)
        {
            h.Repo.CommitFiles($"c{i}", ($"apps/{i}/f", $"{i}"));
        }

        h.Repo.Push("main");
        var results = await Task.WhenAll(Enumerable.Range(0, 16)
            .Select(_ => Task.Run(() => h.Source.FetchAsync(h.Url, SourceHarness.Timeout))));
        Assert.Single(results, r => r.Fetched);
    }

    [Fact]
    public async Task Reads_do_not_wait_for_a_writer_holding_the_repository()
    {
        var sha = h.Repo.CommitFiles("one", ("apps/a/x.yaml", "x: 1\n"));
        h.Repo.Push("main");
        await h.Source.FetchAsync(h.Url, SourceHarness.Timeout);

        var mirror = h.Source.GetMirror(h.Url);
        var observed = await mirror.WithWriteLockAsync(async () =>
        {
            // A fetch (or revert) holds the lock now; renders must still be served.
            var reads = Enumerable.Range(0, 8).Select(async _ =>
            {
                var resolved = await h.Source.ResolveAsync(h.Url, "main", refresh: false, SourceHarness.Timeout);
                using var lease = await h.Source.GetSnapshotAsync(h.Url, resolved.Sha, "apps/a", SourceHarness.Timeout);
                return await File.ReadAllTextAsync(Path.Combine(lease.Path, "x.yaml"));
            });
            return await Task.WhenAll(reads).WaitAsync(TimeSpan.FromSeconds(30));
        }, SourceHarness.Timeout);

        Assert.All(observed, text => Assert.Equal("x: 1\n", text));
        Assert.Equal(sha, (await h.Source.ResolveAsync(h.Url, sha, false, SourceHarness.Timeout)).Sha);
    }
}
