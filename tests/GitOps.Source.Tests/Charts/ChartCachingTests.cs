namespace GitOps.Source.Tests.Charts;

/// <summary>An unchanged repository costs one conditional GET (304) per resolution; a chart is downloaded once per
/// digest; both caches survive a restart.</summary>
public sealed class ChartCachingTests
{
    [Fact]
    public async Task The_index_is_fetched_conditionally_and_a_digest_downloaded_once()
    {
        using var h = new ChartHarness();
        h.Server.Publish([ChartHarness.Chart("metallb", "0.13.9")]);

        for (var i = 0; i < 3; i++)
        {
            var resolved = await h.Source.ResolveAsync(h.Server.Url, "metallb", "0.13.*", ChartHarness.Timeout);
            using var lease = await h.Source.GetSnapshotAsync(resolved, ChartHarness.Timeout);
        }

        Assert.Equal(1, h.Server.Count("index.yaml", 200));
        Assert.True(h.Server.Count("index.yaml", 304) >= 2);
        Assert.Equal(1, h.Server.Count("metallb-0.13.9.tgz"));

        h.Server.Publish([ChartHarness.Chart("metallb", "0.13.9"), ChartHarness.Chart("metallb", "0.13.10")]);
        var newer = await h.Source.ResolveAsync(h.Server.Url, "metallb", "0.13.*", ChartHarness.Timeout);
        Assert.Equal("0.13.10", newer.Version);
        Assert.Equal(2, h.Server.Count("index.yaml", 200));
    }

    [Fact]
    public async Task After_a_restart_the_cached_index_and_archive_are_reused()
    {
        using var h = new ChartHarness();
        h.Server.Publish([ChartHarness.Chart("metallb", "0.13.9")]);
        var first = await h.Source.ResolveAsync(h.Server.Url, "metallb", "0.13.9", ChartHarness.Timeout);
        (await h.Source.GetSnapshotAsync(first, ChartHarness.Timeout)).Dispose();

        var restarted = h.Restart();
        var again = await restarted.ResolveAsync(h.Server.Url, "metallb", "0.13.9", ChartHarness.Timeout);
        using var lease = await restarted.GetSnapshotAsync(again, ChartHarness.Timeout);

        Assert.Equal(1, h.Server.Count("index.yaml", 200));
        Assert.Equal(1, h.Server.Count("index.yaml", 304));
        Assert.Equal(1, h.Server.Count("metallb-0.13.9.tgz"));
        Assert.True(File.Exists(Path.Combine(lease.Root, "Chart.yaml")));
    }
}
