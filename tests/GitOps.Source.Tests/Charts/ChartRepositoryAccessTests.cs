namespace GitOps.Source.Tests.Charts;

/// <summary>Basic auth and bearer tokens come from the credentials file (never from the URL in the spec) and never
/// appear in errors.</summary>
public sealed class ChartRepositoryAccessTests
{
    [Fact]
    public async Task Basic_credentials_from_the_file_are_used_and_their_absence_is_an_authentication_error()
    {
        using var h = new ChartHarness();
        h.Server.BasicAuth = "robot:s3cr3t-pass";
        h.Server.Publish([ChartHarness.Chart("metallb", "0.13.9")]);

        var denied = await Assert.ThrowsAsync<GitSourceException>(() => h.Source.ResolveAsync(h.Server.Url, "metallb", "*", ChartHarness.Timeout));
        Assert.Equal(GitSourceErrorKind.Authentication, denied.Kind);

        File.WriteAllText(h.CredentialsFile, $"# chart repository\n{h.Server.Url.Replace("http://", "http://robot:s3cr3t-pass@", StringComparison.Ordinal)}\n");
        var resolved = await h.Source.ResolveAsync(h.Server.Url, "metallb", "*", ChartHarness.Timeout);
        using var lease = await h.Source.GetSnapshotAsync(resolved, ChartHarness.Timeout);
        Assert.True(File.Exists(Path.Combine(lease.Root, "Chart.yaml")));
    }

    [Fact]
    public async Task A_bearer_token_from_the_file_is_sent_and_a_wrong_one_never_shown()
    {
        using var h = new ChartHarness();
        h.Server.BearerToken = "tok-123456";
        h.Server.Publish([ChartHarness.Chart("metallb", "0.13.9")]);
        File.WriteAllText(h.CredentialsFile, $"{h.Server.Url} bearer=wrong-token-999\n");

        var denied = await Assert.ThrowsAsync<GitSourceException>(() => h.Source.ResolveAsync(h.Server.Url, "metallb", "*", ChartHarness.Timeout));
        Assert.Equal(GitSourceErrorKind.Authentication, denied.Kind);
        Assert.DoesNotContain("wrong-token-999", denied.ToString(), StringComparison.Ordinal);

        File.WriteAllText(h.CredentialsFile, $"{h.Server.Url} bearer=tok-123456\n");
        File.SetLastWriteTimeUtc(h.CredentialsFile, DateTime.UtcNow.AddSeconds(5)); // re-read on change
        Assert.Equal("0.13.9", (await h.Source.ResolveAsync(h.Server.Url, "metallb", "*", ChartHarness.Timeout)).Version);
    }

    [Fact]
    public async Task Credentials_in_the_spec_url_are_refused_without_echoing_them()
    {
        using var h = new ChartHarness();
        var url = h.Server.Url.Replace("http://", "http://robot:leaked-secret@", StringComparison.Ordinal);

        var e = await Assert.ThrowsAsync<GitSourceException>(() => h.Source.ResolveAsync(url, "metallb", "*", ChartHarness.Timeout));

        Assert.Equal(GitSourceErrorKind.InvalidUrl, e.Kind);
        Assert.Contains("credentials file", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("leaked-secret", e.Message, StringComparison.Ordinal);
    }
}
