using GitOps.Source;
using GitOps.Source.Charts;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Cli.Commands;

/// <summary>`gitops render --repo URL CHART --version RANGE` (and `oci://…/CHART`): the chart fetched through the
/// controller's chart source (same resolution, digest checks and limits), unpacked while the render runs.</summary>
internal sealed class RemoteChart : IDisposable
{
    private readonly ChartSource source;
    private readonly SnapshotLease lease;

    private RemoteChart(ChartSource source, SnapshotLease lease)
    {
        this.source = source;
        this.lease = lease;
    }

    public string Root => lease.Root;

    /// <summary>Null when <paramref name="path"/> is a local directory (no --repo, not oci://).</summary>
    public static async Task<RemoteChart?> FetchAsync(string path, string? repo, string? version, string? credentials, string? cacheDir,
        CancellationToken cancellationToken)
    {
        string repository, chart;
        if (repo is not null)
        {
            (repository, chart) = (repo, path);
        }
        else if (ChartRepositoryUrl.IsOci(path))
        {
            var slash = path.TrimEnd('/').LastIndexOf('/');
            (repository, chart) = (path[..slash], path[(slash + 1)..].TrimEnd('/'));
        }
        else
        {
            return null;
        }

        var source = new ChartSource(new ChartSourceOptions
        {
            CacheDirectory = cacheDir ?? DefaultCache(),
            CredentialsFile = credentials,
        }, NullLogger<ChartSource>.Instance);
        try
        {
            var resolved = await source.ResolveAsync(repository, chart, version ?? "", cancellationToken);
            return new RemoteChart(source, await source.GetSnapshotAsync(resolved, cancellationToken));
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        lease.Dispose();
        source.Dispose();
    }

    private static string DefaultCache() =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "gitops");
}
