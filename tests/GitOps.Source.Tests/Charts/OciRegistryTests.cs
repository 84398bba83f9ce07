using GitOps.Source.Charts;
using GitOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Source.Tests.Charts;

/// <summary>Starts one real registry (docker-registry, TLS, htpasswd) for the class.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    public OciRegistry Registry { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Registry = await OciRegistry.StartAsync();
        foreach (var version in new[] { "0.13.9", "0.13.10", "0.14.0", "0.15.0-rc.1", "1.0.0+build.7" })
        {
            await Registry.PushAsync(ChartHarness.Chart("metallb", version));
        }

        await Registry.PushAsync(ChartHarness.Chart("image", "1.0.0"), configMediaType: "application/vnd.oci.image.config.v1+json");
    }

    public Task DisposeAsync()
    {
        Registry.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>Charts from a real OCI registry: versions over tags (ranges, pre-releases only when asked, '+' as '_'),
/// Helm's media types required, the chart layer verified and cached by digest, basic auth and a CA bundle from the
/// credentials file, TLS verified without one.</summary>
public sealed class OciRegistryTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("gitops-oci-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData("0.13.*", "0.13.10")]
    [InlineData("~0.14", "0.14.0")]
    [InlineData(">=0.15.0-0 <0.16.0-0", "0.15.0-rc.1")]
    [InlineData(">=0.14.0 <0.16.0", "0.14.0")]
    [InlineData("1.0.0+build.7", "1.0.0+build.7")]
    public async Task Resolves_a_range_over_tags_and_unpacks_the_verified_layer(string requested, string expected)
    {
        using var source = Source(fixture.Registry.CredentialsLine);

        var resolved = await source.ResolveAsync(fixture.Registry.Url, "metallb", requested, ChartHarness.Timeout);
        using var lease = await source.GetSnapshotAsync(resolved, ChartHarness.Timeout);

        Assert.Equal(expected, resolved.Version);
        Assert.Contains($"version: {expected}", File.ReadAllText(Path.Combine(lease.Root, "Chart.yaml")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(directory, "cache", "charts", "archives", resolved.Digest + ".tgz")));
    }

    [Fact]
    public async Task Without_credentials_the_registry_refuses_with_an_authentication_error()
    {
        using var source = Source($"{fixture.Registry.Url} ca={fixture.Registry.CaFile}");

        var e = await Assert.ThrowsAsync<GitSourceException>(() => source.ResolveAsync(fixture.Registry.Url, "metallb", "*", ChartHarness.Timeout));

        Assert.Equal(GitSourceErrorKind.Authentication, e.Kind);
    }

    [Fact]
    public async Task Tls_is_verified_unless_a_ca_bundle_is_given()
    {
        using var source = Source($"oci://{OciRegistry.Username}:{OciRegistry.Password}@127.0.0.1:{fixture.Registry.Port}");

        var e = await Assert.ThrowsAsync<GitSourceException>(() => source.ResolveAsync(fixture.Registry.Url, "metallb", "*", ChartHarness.Timeout));

        Assert.Equal(GitSourceErrorKind.Network, e.Kind);
        Assert.DoesNotContain(OciRegistry.Password, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_artifact_that_is_not_a_helm_chart_is_refused()
    {
        using var source = Source(fixture.Registry.CredentialsLine);

        var e = await Assert.ThrowsAsync<GitSourceException>(() => source.ResolveAsync(fixture.Registry.Url, "image", "1.0.0", ChartHarness.Timeout));

        Assert.Equal(GitSourceErrorKind.InvalidContent, e.Kind);
        Assert.Contains("not a Helm chart", e.Message, StringComparison.Ordinal);
    }

    private ChartSource Source(string credentialsLine)
    {
        var file = Path.Combine(directory, "credentials");
        File.WriteAllText(file, credentialsLine + "\n");
        return new ChartSource(new ChartSourceOptions { CacheDirectory = Path.Combine(directory, "cache"), CredentialsFile = file },
            NullLogger<ChartSource>.Instance);
    }
}
