using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace GitOps.Source.Charts;

/// <summary>
/// A Helm chart repository over HTTP(S): <c>index.yaml</c> under the repository URL, fetched with a conditional GET
/// (If-None-Match / If-Modified-Since) and kept parsed in memory and raw on disk, so a poll of an unchanged
/// repository costs one 304; archive URLs resolved against the repository URL as Helm does.
/// </summary>
internal sealed partial class HelmRepositoryClient(string cacheDirectory, ChartHttp http, Func<string, RepositoryAccess> access,
    ChartSourceOptions options, ILogger logger)
{
    private readonly ConcurrentDictionary<string, RepositoryState> repositories = new(StringComparer.Ordinal);

    public async Task<(ChartVersionEntry Entry, ChartIndex Index)> ResolveAsync(Uri repository, string chart, string version,
        CancellationToken cancellationToken)
    {
        var index = await IndexAsync(repository, cancellationToken).ConfigureAwait(false);
        var versions = index.Versions(chart);
        if (versions.Count == 0)
        {
            throw new GitSourceException(GitSourceErrorKind.RevisionNotFound, $"chart '{chart}' is not in {repository}/index.yaml");
        }

        return index.Select(chart, version) is { } entry
            ? (entry, index)
            : throw new GitSourceException(GitSourceErrorKind.RevisionNotFound,
                $"no version of chart '{chart}' in {repository} matches '{version}' (highest: " +
                string.Join(", ", versions.Select(v => v.Version).Take(8)) + ")");
    }

    /// <summary>The entry for an exact version from the index already in memory (no request), or null.</summary>
    public ChartVersionEntry? Cached(Uri repository, string chart, string version) =>
        repositories.TryGetValue(repository.AbsoluteUri, out var state) && state.Index is { } index
            ? index.Versions(chart).FirstOrDefault(v => v.Version == version)
            : null;

    /// <summary>The archive of a resolved entry (not yet verified). Credentials go only to the repository's origin.</summary>
    public async Task<byte[]> DownloadAsync(Uri repository, ChartVersionEntry entry, CancellationToken cancellationToken)
    {
        var what = $"chart {entry.Name} {entry.Version}";
        if (entry.Urls.Count == 0)
        {
            throw new GitSourceException(GitSourceErrorKind.InvalidContent, $"{what}: the index lists no URL for it");
        }

        // Helm's ResolveReferenceURL: relative URLs are relative to the repository URL taken as a directory.
        var url = new Uri(new Uri(repository.AbsoluteUri.TrimEnd('/') + "/"), entry.Urls[0]);
        if (url.Scheme is not ("http" or "https"))
        {
            throw new GitSourceException(GitSourceErrorKind.InvalidUrl, $"{what}: archive URL scheme '{url.Scheme}' is not http(s)");
        }

        var repoAccess = access(repository.AbsoluteUri);
        var authorization = ChartHttp.SameOrigin(repository, url) ? ChartHttp.AuthorizationFor(repoAccess) : null;
        var fetch = await http.GetAsync(url, repoAccess, authorization, null, options.MaxArchiveBytes, what, cancellationToken)
            .ConfigureAwait(false);
        ChartHttp.ThrowForStatus(fetch, what);
        return fetch.Body;
    }

    private async Task<ChartIndex> IndexAsync(Uri repository, CancellationToken cancellationToken)
    {
        var key = repository.AbsoluteUri;
        var state = repositories.GetOrAdd(key, k => new RepositoryState(Path.Combine(cacheDirectory,
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(k)))[..24])));
        // One index request per repository at a time; concurrent resolutions of it share the answer.
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            state.LoadValidators();
            var url = new Uri(key.TrimEnd('/') + "/index.yaml");
            var what = $"chart repository index {ChartHttp.Show(url)}";
            var repoAccess = access(key);
            var fetch = await http.GetAsync(url, repoAccess, ChartHttp.AuthorizationFor(repoAccess), request =>
            {
                if (state.ETag is { } etag && System.Net.Http.Headers.EntityTagHeaderValue.TryParse(etag, out var tag))
                {
                    request.Headers.IfNoneMatch.Add(tag);
                }

                if (state.LastModified is { } modified)
                {
                    request.Headers.IfModifiedSince = modified;
                }
            }, options.MaxIndexBytes, what, cancellationToken).ConfigureAwait(false);
            if (fetch.Status == HttpStatusCode.NotModified && state.HasCopy)
            {
                state.Index ??= Parse(File.ReadAllBytes(state.IndexFile), what);
                LogNotModified(logger, key);
                return state.Index;
            }

            ChartHttp.ThrowForStatus(fetch, what);
            var index = Parse(fetch.Body, what);
            state.Save(fetch.Body, fetch.Headers.ETag?.ToString(), fetch.ContentHeaders?.LastModified);
            state.Index = index;
            LogFetched(logger, key, fetch.Body.Length, index.VersionCount);
            return index;
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private static ChartIndex Parse(byte[] body, string what)
    {
        using var reader = new StreamReader(new MemoryStream(body, writable: false), Encoding.UTF8);
        return ChartIndex.Parse(reader, what);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Chart index {Repository} fetched: {Bytes} bytes, {Versions} versions")]
    private static partial void LogFetched(ILogger logger, string repository, int bytes, int versions);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Chart index {Repository} not modified")]
    private static partial void LogNotModified(ILogger logger, string repository);

    /// <summary>One repository's cached index: the parsed form in memory, the raw bytes and validators on disk.</summary>
    private sealed class RepositoryState(string directory)
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public ChartIndex? Index { get; set; }

        public string? ETag { get; private set; }

        public DateTimeOffset? LastModified { get; private set; }

        public string IndexFile => Path.Combine(directory, "index.yaml");

        public bool HasCopy => Index is not null || File.Exists(IndexFile);

        private string MetaFile => Path.Combine(directory, "validators.json");

        public void LoadValidators()
        {
            if (Index is not null || ETag is not null || LastModified is not null || !File.Exists(MetaFile) || !File.Exists(IndexFile))
            {
                return;
            }

            // JSON nodes, not a serialised record: the CLI that renders from chart repositories is Native AOT.
            var meta = JsonNode.Parse(File.ReadAllText(MetaFile));
            ETag = (string?)meta?["ETag"];
            LastModified = DateTimeOffset.TryParse((string?)meta?["LastModified"], CultureInfo.InvariantCulture,
                DateTimeStyles.RoundtripKind, out var modified) ? modified : null;
        }

        public void Save(byte[] body, string? etag, DateTimeOffset? lastModified)
        {
            Directory.CreateDirectory(directory);
            var temp = IndexFile + ".tmp";
            File.WriteAllBytes(temp, body);
            File.Move(temp, IndexFile, overwrite: true);
            File.WriteAllText(MetaFile, new JsonObject
            {
                ["ETag"] = etag,
                ["LastModified"] = lastModified?.ToString("O", CultureInfo.InvariantCulture),
            }.ToJsonString());
            (ETag, LastModified) = (etag, lastModified);
        }
    }
}
