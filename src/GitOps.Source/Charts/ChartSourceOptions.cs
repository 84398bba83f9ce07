namespace GitOps.Source.Charts;

/// <summary>Where chart sources cache and the limits they enforce.</summary>
public sealed record ChartSourceOptions
{
    /// <summary>Root of the cache: indexes under <c>charts/index/</c>, archives by digest under <c>charts/archives/</c>,
    /// unpacked charts under <c>charts/snapshots/</c>.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>The controller's credentials file (<see cref="GitOps.Source.CredentialsFile"/>): basic, bearer, CA bundle.</summary>
    public string? CredentialsFile { get; init; }

    /// <summary>Largest index.yaml accepted (Bitnami's was ~20 MB).</summary>
    public long MaxIndexBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest chart archive (compressed) or registry blob downloaded.</summary>
    public long MaxArchiveBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Largest single file an unpacked chart may contain.</summary>
    public long MaxFileBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Largest total an archive may unpack to.</summary>
    public long MaxChartBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Most files an archive may unpack to.</summary>
    public int MaxChartFiles { get; init; } = 10_000;

    /// <summary>Deadline of one request, headers and body together: a slow server is an error, not a hang.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>A chart version a reference resolved to, with the digest its archive must have.</summary>
public sealed record ResolvedChart(string RepositoryUrl, string Name, string Version, string Digest, DateTimeOffset? Created,
    string? AppVersion);

/// <summary>Charts from Helm chart repositories (https://, index.yaml) and OCI registries (oci://).</summary>
public interface IChartSource
{
    /// <summary>The version of <paramref name="chart"/> that <paramref name="version"/> (exact or a semver range)
    /// names, from the repository's current index (one conditional GET when cached).</summary>
    Task<ResolvedChart> ResolveAsync(string repositoryUrl, string chart, string version, CancellationToken cancellationToken);

    /// <summary>The chart, unpacked into a read-only directory (<see cref="SnapshotLease.Root"/> holds Chart.yaml),
    /// downloaded once per digest and verified against it.</summary>
    Task<SnapshotLease> GetSnapshotAsync(ResolvedChart chart, CancellationToken cancellationToken);

    /// <summary>The chart's archive (.tgz), verified against its digest, as a file in the cache (a dependency to be
    /// placed beside a chart, as `helm dependency build` does).</summary>
    Task<string> GetArchiveAsync(ResolvedChart chart, CancellationToken cancellationToken);
}
