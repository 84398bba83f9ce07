using Microsoft.Extensions.Logging;

namespace GitOps.Source.Charts;

/// <summary>
/// Charts from Helm chart repositories (<c>https://…</c>: index.yaml, archives verified against its digests) and OCI
/// registries (<c>oci://…</c>: tags, manifests, chart layers verified against their digests) behind one cache. Thread-safe; one per process. Credentials come from the options' credentials file only.
/// </summary>
public sealed class ChartSource : IChartSource, IDisposable
{
    private readonly ChartHttp http;
    private readonly HelmRepositoryClient repositories;
    private readonly OciRegistryClient registries;
    private readonly ChartStore store;
    private readonly CredentialsFile? credentials;

    public ChartSource(ChartSourceOptions options, ILogger<ChartSource> logger, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = Path.Combine(options.CacheDirectory, "charts");
        credentials = options.CredentialsFile is { Length: > 0 } file ? new CredentialsFile(file) : null;
        http = new ChartHttp(new HttpLimits(options.RequestTimeout));
        repositories = new HelmRepositoryClient(Path.Combine(root, "index"), http, Access, options, logger);
        registries = new OciRegistryClient(http, Access, options, clock ?? TimeProvider.System);
        store = new ChartStore(root, new ArchiveLimits(options.MaxFileBytes, options.MaxChartBytes, options.MaxChartFiles), logger);
    }

    public void Dispose()
    {
        http.Dispose();
        store.Dispose();
    }

    public async Task<ResolvedChart> ResolveAsync(string repositoryUrl, string chart, string version, CancellationToken cancellationToken)
    {
        var repository = Repository(repositoryUrl, chart);
        if (repository.Scheme == "oci")
        {
            var (tag, layer) = await registries.ResolveAsync(repository, chart, version, cancellationToken).ConfigureAwait(false);
            return new ResolvedChart(repository.AbsoluteUri, chart, tag, ChartStore.NormalizeDigest(layer, $"chart {chart} {tag}"), null, null);
        }

        var (entry, _) = await repositories.ResolveAsync(repository, chart, version, cancellationToken).ConfigureAwait(false);
        var what = $"chart {chart} {entry.Version}";
        return new ResolvedChart(repository.AbsoluteUri, chart, entry.Version,
            ChartStore.NormalizeDigest(entry.Digest ?? "", what), entry.Created, entry.AppVersion);
    }

    public async Task<SnapshotLease> GetSnapshotAsync(ResolvedChart chart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var directory = await store.GetAsync(chart.Digest, $"chart {chart.Name} {chart.Version}", Download(chart), cancellationToken)
            .ConfigureAwait(false);
        return new SnapshotLease(directory, chart.Version, null, static () => { });
    }

    public Task<string> GetArchiveAsync(ResolvedChart chart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return store.ArchiveAsync(chart.Digest, $"chart {chart.Name} {chart.Version}", Download(chart), cancellationToken);
    }

    private Func<CancellationToken, Task<byte[]>> Download(ResolvedChart chart) => async ct =>
    {
        var repository = Repository(chart.RepositoryUrl, chart.Name);
        if (repository.Scheme == "oci")
        {
            return await registries.BlobAsync(repository, chart.Name, "sha256:" + chart.Digest, ct).ConfigureAwait(false);
        }

        // The archive URL comes from the index that named this digest (in memory since the resolution).
        var entry = repositories.Cached(repository, chart.Name, chart.Version)
                    ?? (await repositories.ResolveAsync(repository, chart.Name, chart.Version, ct).ConfigureAwait(false)).Entry;
        return await repositories.DownloadAsync(repository, entry, ct).ConfigureAwait(false);
    };

    private static Uri Repository(string repositoryUrl, string chart)
    {
        if (string.IsNullOrWhiteSpace(chart) || chart.Contains('/', StringComparison.Ordinal) || chart is "." or "..")
        {
            throw new GitSourceException(GitSourceErrorKind.InvalidUrl, $"invalid chart name '{chart}'");
        }

        return ChartRepositoryUrl.Parse(repositoryUrl);
    }

    private RepositoryAccess Access(string normalizedUrl) => credentials?.GetAccess(normalizedUrl) ?? RepositoryAccess.Anonymous;
}
