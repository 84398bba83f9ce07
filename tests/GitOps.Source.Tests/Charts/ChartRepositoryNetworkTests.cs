using GitOps.Testing;

namespace GitOps.Source.Tests.Charts;

/// <summary>A repository that redirects to another host, or answers slowly, is an error within a bounded time;
/// a redirect within the repository's host is followed.</summary>
public sealed class ChartRepositoryNetworkTests
{
    [Fact]
    public async Task A_redirect_to_another_host_is_refused_and_credentials_stay_home()
    {
        using var h = new ChartHarness();
        using var elsewhere = new ChartRepositoryServer();
        elsewhere.Publish([ChartHarness.Chart("metallb", "0.13.9")]);
        h.Server.Redirects["index.yaml"] = elsewhere.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + "/index.yaml";
        File.WriteAllText(h.CredentialsFile, $"{h.Server.Url} bearer=home-token\n");

        var e = await Assert.ThrowsAsync<GitSourceException>(() => h.Source.ResolveAsync(h.Server.Url, "metallb", "*", ChartHarness.Timeout));

        Assert.Equal(GitSourceErrorKind.Network, e.Kind);
        Assert.Contains("another host", e.Message, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task A_redirect_on_the_same_host_is_followed()
    {
        using var h = new ChartHarness();
        h.Server.Publish([ChartHarness.Chart("metallb", "0.13.9")]);
        h.Server.Redirects["moved/index.yaml"] = h.Server.Url + "/index.yaml";

        var resolved = await h.Source.ResolveAsync(h.Server.Url + "/moved", "metallb", "*", ChartHarness.Timeout);

        Assert.Equal("0.13.9", resolved.Version);
    }

    [Fact]
    public async Task A_slow_repository_is_an_error_after_the_request_deadline()
    {
        using var h = new ChartHarness(o => o with { RequestTimeout = TimeSpan.FromSeconds(1) });
        h.Server.Publish([ChartHarness.Chart("metallb", "0.13.9")]);
        h.Server.Delay = TimeSpan.FromSeconds(30);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<GitSourceException>(() => h.Source.ResolveAsync(h.Server.Url, "metallb", "*", ChartHarness.Timeout));

        Assert.Equal(GitSourceErrorKind.Network, e.Kind);
        Assert.Contains("did not answer within 1 s", e.Message, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"took {started.Elapsed}");
    }
}
