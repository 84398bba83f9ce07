using GitOps.Source.Charts;
using GitOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Source.Tests.Charts;

/// <summary>A real registry under distribution's token auth: the bearer challenge is answered with a token from the
/// realm (basic credentials from the credentials file, the challenge's service and scope), kept until it expires;
/// wrong credentials are an authentication error that shows no secret.</summary>
public sealed class OciTokenAuthTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("gitops-oci-token-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task A_bearer_challenge_is_answered_with_a_token_from_the_realm_and_the_token_reused()
    {
        using var registry = await OciRegistry.StartAsync(tokenAuth: true);
        await registry.PushAsync(ChartHarness.Chart("podinfo", "6.5.0"));
        await registry.PushAsync(ChartHarness.Chart("podinfo", "6.5.4"));
        using var source = Source(registry.CredentialsLine);

        var resolved = await source.ResolveAsync(registry.Url, "podinfo", "~6.5", ChartHarness.Timeout);
        using var lease = await source.GetSnapshotAsync(resolved, ChartHarness.Timeout);
        await source.ResolveAsync(registry.Url, "podinfo", "~6.5", ChartHarness.Timeout);

        Assert.Equal("6.5.4", resolved.Version);
        Assert.True(File.Exists(Path.Combine(lease.Root, "Chart.yaml")));
        Assert.Equal(["repository:charts/podinfo:pull"], registry.TokenServer!.Issued);
    }

    [Fact]
    public async Task Wrong_credentials_are_an_authentication_error()
    {
        using var registry = await OciRegistry.StartAsync(tokenAuth: true);
        await registry.PushAsync(ChartHarness.Chart("podinfo", "6.5.0"));
        using var source = Source($"oci://{OciRegistry.Username}:not-the-password@127.0.0.1:{registry.Port} plain-http=true");

        var e = await Assert.ThrowsAsync<GitSourceException>(() => source.ResolveAsync(registry.Url, "podinfo", "*", ChartHarness.Timeout));

        Assert.Equal(GitSourceErrorKind.Authentication, e.Kind);
        Assert.DoesNotContain("not-the-password", e.ToString(), StringComparison.Ordinal);
        Assert.Empty(registry.TokenServer!.Issued);
    }

    private ChartSource Source(string credentialsLine)
    {
        var file = Path.Combine(directory, "credentials");
        File.WriteAllText(file, credentialsLine + "\n");
        return new ChartSource(new ChartSourceOptions { CacheDirectory = Path.Combine(directory, "cache"), CredentialsFile = file },
            NullLogger<ChartSource>.Instance);
    }
}
