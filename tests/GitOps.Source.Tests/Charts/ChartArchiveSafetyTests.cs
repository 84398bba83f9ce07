using System.Formats.Tar;
using System.Text;
using GitOps.Testing;

namespace GitOps.Source.Tests.Charts;

/// <summary>Hostile or oversized repositories: entries that escape the chart, links out, decompression bombs,
/// oversized index.yaml or archives — each a clear error, nothing unpacked outside the snapshot.</summary>
public sealed class ChartArchiveSafetyTests
{
    private static readonly byte[] ChartYaml = Encoding.UTF8.GetBytes("apiVersion: v2\nname: evil\nversion: 1.0.0\n");

    [Theory]
    [InlineData("evil/../../escaped.txt")]
    [InlineData("/etc/escaped.txt")]
    [InlineData("evil/templates/..\\..\\escaped.txt")]
    public async Task Entries_that_escape_are_refused(string name)
    {
        var e = await RefusedAsync(new TarEntrySpec("evil/Chart.yaml", ChartYaml), new TarEntrySpec(name, "x"u8.ToArray()));
        Assert.Equal(GitSourceErrorKind.UnsafeContent, e.Kind);
        Assert.Contains("escapes the chart directory", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TarEntryType.SymbolicLink, "../../../../etc/passwd")]
    [InlineData(TarEntryType.SymbolicLink, "/etc/passwd")]
    [InlineData(TarEntryType.HardLink, "../outside")]
    public async Task Links_out_of_the_chart_are_refused(TarEntryType type, string target)
    {
        var e = await RefusedAsync(new TarEntrySpec("evil/Chart.yaml", ChartYaml),
            new TarEntrySpec("evil/templates/passwd.yaml", Type: type, LinkTarget: target));
        Assert.Equal(GitSourceErrorKind.UnsafeContent, e.Kind);
    }

    [Fact]
    public async Task A_decompression_bomb_stops_at_the_cap()
    {
        var e = await RefusedAsync(o => o with { MaxFileBytes = 1 << 20, MaxChartBytes = 2 << 20 },
            new TarEntrySpec("evil/Chart.yaml", ChartYaml),
            new TarEntrySpec("evil/templates/zeros.yaml", new byte[64 << 20]));
        Assert.Equal(GitSourceErrorKind.TooLarge, e.Kind);
    }

    [Fact]
    public async Task Many_small_files_past_the_total_are_refused()
    {
        var files = Enumerable.Range(0, 40).Select(i => new TarEntrySpec($"evil/templates/f{i}.yaml", new byte[100_000]));
        var e = await RefusedAsync(o => o with { MaxChartBytes = 1 << 20 }, [new TarEntrySpec("evil/Chart.yaml", ChartYaml), .. files]);
        Assert.Equal(GitSourceErrorKind.TooLarge, e.Kind);
        Assert.Contains("unpacks to more than", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_index_is_refused()
    {
        using var h = new ChartHarness(o => o with { MaxIndexBytes = 4096 });
        h.Server.Publish(Enumerable.Range(0, 30).Select(i => ChartHarness.Chart("big", $"1.0.{i}")));

        var e = await Assert.ThrowsAsync<GitSourceException>(() => h.Source.ResolveAsync(h.Server.Url, "big", "*", ChartHarness.Timeout));

        Assert.Equal(GitSourceErrorKind.TooLarge, e.Kind);
        Assert.Contains("index.yaml", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_archive_is_refused()
    {
        var e = await RefusedAsync(o => o with { MaxArchiveBytes = 1024 },
            new TarEntrySpec("evil/Chart.yaml", ChartYaml),
            new TarEntrySpec("evil/templates/noise.yaml", Noise(8192)));
        Assert.Equal(GitSourceErrorKind.TooLarge, e.Kind);
    }

    [Fact]
    public async Task A_malformed_index_names_line_and_column()
    {
        using var h = new ChartHarness();
        h.Server.Put("index.yaml", "apiVersion: v1\nentries:\n  a: [\n"u8.ToArray());

        var e = await Assert.ThrowsAsync<GitSourceException>(() => h.Source.ResolveAsync(h.Server.Url, "a", "*", ChartHarness.Timeout));

        Assert.Equal(GitSourceErrorKind.InvalidContent, e.Kind);
        Assert.Matches(@"index\.yaml:\d+:\d+: invalid index", e.Message);
    }

    private static byte[] Noise(int length)
    {
        var bytes = new byte[length];
        new Random(1).NextBytes(bytes);
        return bytes;
    }

    private static Task<GitSourceException> RefusedAsync(params TarEntrySpec[] entries) => RefusedAsync(o => o, entries);

    private static async Task<GitSourceException> RefusedAsync(Func<GitOps.Source.Charts.ChartSourceOptions, GitOps.Source.Charts.ChartSourceOptions> configure,
        params TarEntrySpec[] entries)
    {
        using var h = new ChartHarness(configure);
        var chart = new PackagedChart("evil", "1.0.0", HelmCharts.Archive(entries));
        h.Server.Publish([chart]);
        var resolved = await h.Source.ResolveAsync(h.Server.Url, "evil", "1.0.0", ChartHarness.Timeout);
        var e = await Assert.ThrowsAsync<GitSourceException>(() => h.Source.GetSnapshotAsync(resolved, ChartHarness.Timeout));
        Assert.False(File.Exists(Path.Combine(h.Directory, "escaped.txt")));
        Assert.Empty(Directory.GetDirectories(Directory.GetDirectories(Path.Combine(h.Options.CacheDirectory, "charts", "snapshots"))[0]));
        return e;
    }
}
