using GitOps.Testing;

namespace GitOps.Source.Tests.Charts;

/// <summary>An archive whose bytes do not hash to the index's digest is refused and not cached; an entry without a
/// digest cannot be verified and is refused.</summary>
public sealed class ChartDigestTests
{
    [Fact]
    public async Task A_tampered_archive_is_refused_and_not_kept()
    {
        using var h = new ChartHarness();
        var chart = ChartHarness.Chart("metallb", "0.13.9");
        h.Server.Publish([chart]);
        var resolved = await h.Source.ResolveAsync(h.Server.Url, "metallb", "0.13.9", ChartHarness.Timeout);
        h.Server.Put(chart.FileName, ChartHarness.Chart("metallb", "0.13.8").Archive); // swapped behind the index

        var e = await Assert.ThrowsAsync<GitSourceException>(() => h.Source.GetSnapshotAsync(resolved, ChartHarness.Timeout));

        Assert.Equal(GitSourceErrorKind.UnsafeContent, e.Kind);
        Assert.Contains("does not match", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(h.Options.CacheDirectory, "charts", "archives")));

        h.Server.Put(chart.FileName, chart.Archive); // repaired: the failure was not cached
        using var lease = await h.Source.GetSnapshotAsync(resolved, ChartHarness.Timeout);
        Assert.True(File.Exists(Path.Combine(lease.Root, "Chart.yaml")));
    }

    [Fact]
    public async Task An_index_entry_without_a_digest_is_refused()
    {
        using var h = new ChartHarness();
        var chart = ChartHarness.Chart("metallb", "0.13.9");
        h.Server.Put(chart.FileName, chart.Archive);
        h.Server.Put("index.yaml", System.Text.Encoding.UTF8.GetBytes(
            "apiVersion: v1\nentries:\n  metallb:\n  - name: metallb\n    version: 0.13.9\n    urls: [metallb-0.13.9.tgz]\n"));

        var e = await Assert.ThrowsAsync<GitSourceException>(() => h.Source.ResolveAsync(h.Server.Url, "metallb", "0.13.9", ChartHarness.Timeout));

        Assert.Contains("can be verified", e.Message, StringComparison.Ordinal);
    }
}
