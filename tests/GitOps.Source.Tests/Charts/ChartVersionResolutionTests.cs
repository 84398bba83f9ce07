namespace GitOps.Source.Tests.Charts;

/// <summary>targetRevision names a chart version exactly or by a semver range: the highest match wins, pre-releases
/// only when the range names one (Helm's IndexFile.Get with Masterminds semver).</summary>
public sealed class ChartVersionResolutionTests
{
    [Theory]
    [InlineData("0.13.*", "0.13.10")]
    [InlineData("0.13.9", "0.13.9")]
    [InlineData("~0.12", "0.12.1")]
    [InlineData(">=0.12.0 <0.13.5", "0.13.4")]
    [InlineData("*", "0.14.0")]
    [InlineData("HEAD", "0.14.0")]
    [InlineData("", "0.14.0")]
    [InlineData(">=0.15.0-0", "0.15.0-rc.1")]
    [InlineData("0.15.0-rc.1", "0.15.0-rc.1")]
    public async Task Resolves_the_highest_matching_version(string requested, string expected)
    {
        using var h = new ChartHarness();
        h.Server.Publish(new[] { "0.12.0", "0.12.1", "0.13.4", "0.13.9", "0.13.10", "0.14.0", "0.15.0-rc.1" }
            .Select(v => ChartHarness.Chart("metallb", v)));

        var resolved = await h.Source.ResolveAsync(h.Server.Url, "metallb", requested, ChartHarness.Timeout);

        Assert.Equal(expected, resolved.Version);
        Assert.Equal("metallb", resolved.Name);
        Assert.Equal(64, resolved.Digest.Length);
    }

    [Fact]
    public async Task A_range_nothing_matches_and_an_unknown_chart_are_clear_errors()
    {
        using var h = new ChartHarness();
        h.Server.Publish([ChartHarness.Chart("metallb", "0.13.9")]);

        var none = await Assert.ThrowsAsync<GitSourceException>(() => h.Source.ResolveAsync(h.Server.Url, "metallb", "0.14.*", ChartHarness.Timeout));
        Assert.Equal(GitSourceErrorKind.RevisionNotFound, none.Kind);
        Assert.Contains("no version of chart 'metallb'", none.Message, StringComparison.Ordinal);
        Assert.Contains("0.13.9", none.Message, StringComparison.Ordinal);

        var unknown = await Assert.ThrowsAsync<GitSourceException>(() => h.Source.ResolveAsync(h.Server.Url, "jenkins", "*", ChartHarness.Timeout));
        Assert.Contains("chart 'jenkins' is not in", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_snapshot_holds_the_chart_at_its_root()
    {
        using var h = new ChartHarness();
        h.Server.Publish([ChartHarness.Chart("metallb", "0.13.9")]);
        var resolved = await h.Source.ResolveAsync(h.Server.Url, "metallb", "0.13.9", ChartHarness.Timeout);

        using var lease = await h.Source.GetSnapshotAsync(resolved, ChartHarness.Timeout);

        Assert.Contains("name: metallb", File.ReadAllText(Path.Combine(lease.Root, "Chart.yaml")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(lease.Root, "templates", "cm.yaml")));
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(lease.Root) & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(Path.Combine(lease.Root, "Chart.yaml")) & UnixFileMode.UserWrite);
    }
}
