using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Source.Charts;

/// <summary>
/// Helm charts in an OCI registry (the distribution API, as <c>helm pull oci://…</c>): versions are the repository's
/// tags (<c>+</c> spelled <c>_</c>); a version's manifest must carry Helm's config media type and one chart layer,
/// whose digest is what the archive is verified against and cached by. Basic and bearer-token challenges are answered
/// from the credentials file; tokens are kept per registry and scope until they expire.
/// </summary>
internal sealed class OciRegistryClient(ChartHttp http, Func<string, RepositoryAccess> access, ChartSourceOptions options, TimeProvider clock)
{
    public const string ConfigMediaType = "application/vnd.cncf.helm.config.v1+json";
    public const string ChartLayerMediaType = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
    private const string LegacyChartLayerMediaType = "application/tar+gzip";
    private const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";
    private const long MaxManifestBytes = 4L * 1024 * 1024;
    private const int MaxTagPages = 100;

    private readonly ConcurrentDictionary<(string Registry, string Scope), (AuthenticationHeaderValue Header, DateTimeOffset Expires)> tokens = new();

    /// <summary>The version (a tag) <paramref name="requested"/> names and the digest of its chart layer.</summary>
    public async Task<(string Version, string LayerDigest)> ResolveAsync(Uri repository, string chart, string requested,
        CancellationToken cancellationToken)
    {
        var target = TargetOf(repository, chart);
        var tags = await TagsAsync(target, cancellationToken).ConfigureAwait(false);
        var versions = tags.Select(t => t.Replace('_', '+')).ToList();
        var version = ChartVersions.Select(versions, v => v, requested)
                      ?? throw new GitSourceException(GitSourceErrorKind.RevisionNotFound,
                          versions.Count == 0
                              ? $"chart '{chart}' has no tags in {repository}"
                              : $"no version of chart '{chart}' in {repository} matches '{requested}' (tags: {string.Join(", ", versions.Take(8))})");
        return (version, await LayerDigestAsync(target, version.Replace('+', '_'), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The chart layer's bytes (verified by the caller against the digest). Blob redirects to a storage host
    /// are followed without credentials: the digest is the check.</summary>
    public async Task<byte[]> BlobAsync(Uri repository, string chart, string digest, CancellationToken cancellationToken)
    {
        var target = TargetOf(repository, chart);
        var fetch = await SendAsync(target, new Uri(target.Base, $"/v2/{target.Name}/blobs/{digest}"), null, options.MaxArchiveBytes,
            $"chart {chart} layer", cancellationToken, foreignRedirects: true).ConfigureAwait(false);
        return fetch.Body;
    }

    private async Task<string> LayerDigestAsync(Target target, string tag, CancellationToken cancellationToken)
    {
        var what = $"chart {target.Chart} {tag} manifest";
        var fetch = await SendAsync(target, new Uri(target.Base, $"/v2/{target.Name}/manifests/{tag}"),
            r => r.Headers.Accept.ParseAdd(ManifestMediaType), MaxManifestBytes, what, cancellationToken).ConfigureAwait(false);
        var actual = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(fetch.Body));
        if (fetch.Headers.TryGetValues("Docker-Content-Digest", out var claimed) && claimed.FirstOrDefault() is { } header &&
            header.StartsWith("sha256:", StringComparison.Ordinal) && header != actual)
        {
            throw new GitSourceException(GitSourceErrorKind.UnsafeContent,
                $"{what}: body digest {actual} does not match the registry's Docker-Content-Digest {header}; refused");
        }

        JsonNode? manifest;
        try
        {
            manifest = JsonNode.Parse(fetch.Body);
        }
        catch (JsonException e)
        {
            throw new GitSourceException(GitSourceErrorKind.InvalidContent, $"{what}: not JSON: {e.Message}", e);
        }

        var config = manifest?["config"]?["mediaType"]?.GetValue<string>();
        if (config != ConfigMediaType)
        {
            throw new GitSourceException(GitSourceErrorKind.InvalidContent,
                $"{what}: config media type '{config}' is not {ConfigMediaType}: not a Helm chart");
        }

        var layers = (manifest?["layers"] as JsonArray ?? [])
            .Where(l => l?["mediaType"]?.GetValue<string>() is ChartLayerMediaType or LegacyChartLayerMediaType).ToList();
        if (layers.Count != 1 || layers[0]?["digest"]?.GetValue<string>() is not { } digest)
        {
            throw new GitSourceException(GitSourceErrorKind.InvalidContent,
                $"{what}: expected exactly one {ChartLayerMediaType} layer, found {layers.Count}");
        }

        if (layers[0]?["size"]?.GetValue<long>() is { } size && size > options.MaxArchiveBytes)
        {
            throw new GitSourceException(GitSourceErrorKind.TooLarge,
                $"{what}: chart layer is {size} bytes, more than the limit of {options.MaxArchiveBytes}");
        }

        return digest;
    }

    private async Task<List<string>> TagsAsync(Target target, CancellationToken cancellationToken)
    {
        var tags = new List<string>();
        var url = new Uri(target.Base, $"/v2/{target.Name}/tags/list");
        for (var page = 0; page < MaxTagPages; page++)
        {
            var fetch = await SendAsync(target, url, null, MaxManifestBytes, $"tags of chart {target.Chart}", cancellationToken)
                .ConfigureAwait(false);
            try
            {
                foreach (var tag in JsonNode.Parse(fetch.Body)?["tags"] as JsonArray ?? [])
                {
                    if (tag?.GetValue<string>() is { } t)
                    {
                        tags.Add(t);
                    }
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                throw new GitSourceException(GitSourceErrorKind.InvalidContent, $"tags of chart {target.Chart}: not a tag list: {e.Message}", e);
            }

            // Pagination: Link: </v2/name/tags/list?last=x&n=y>; rel="next" (same registry only).
            if (!fetch.Headers.TryGetValues("Link", out var links) || links.FirstOrDefault() is not { } link ||
                !link.Contains("rel=\"next\"", StringComparison.Ordinal))
            {
                return tags;
            }

            var next = link[(link.IndexOf('<', StringComparison.Ordinal) + 1)..link.IndexOf('>', StringComparison.Ordinal)];
            url = new Uri(target.Base, next);
        }

        return tags;
    }

    /// <summary>A GET that answers the registry's auth challenge once (Basic, or a bearer token from its realm).</summary>
    private async Task<HttpFetch> SendAsync(Target target, Uri url, Action<HttpRequestMessage>? configure, long maxBytes, string what,
        CancellationToken cancellationToken, bool foreignRedirects = false)
    {
        var scope = $"repository:{target.Name}:pull";
        var key = (target.Base.AbsoluteUri, scope);
        var header = target.Access.BearerToken is { } bearer ? new AuthenticationHeaderValue("Bearer", bearer)
            : tokens.TryGetValue(key, out var cached) && cached.Expires > clock.GetUtcNow() ? cached.Header : null;
        var fetch = await http.GetAsync(url, target.Access, header, configure, maxBytes, what, cancellationToken, foreignRedirects)
            .ConfigureAwait(false);
        if (fetch.Status == HttpStatusCode.Unauthorized && target.Access.BearerToken is null &&
            await AnswerChallengeAsync(target, fetch, scope, what, cancellationToken).ConfigureAwait(false) is { } answer)
        {
            tokens[key] = answer;
            fetch = await http.GetAsync(url, target.Access, answer.Header, configure, maxBytes, what, cancellationToken, foreignRedirects)
                .ConfigureAwait(false);
        }

        ChartHttp.ThrowForStatus(fetch, what);
        return fetch;
    }

    private async Task<(AuthenticationHeaderValue Header, DateTimeOffset Expires)?> AnswerChallengeAsync(Target target, HttpFetch denied, string scope,
        string what, CancellationToken cancellationToken)
    {
        var challenge = denied.Headers.WwwAuthenticate.FirstOrDefault();
        var basic = ChartHttp.AuthorizationFor(target.Access with { BearerToken = null });
        if (challenge is null)
        {
            return null;
        }

        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return basic is null ? null : (basic, DateTimeOffset.MaxValue);
        }

        if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var parameters = Parameters(challenge.Parameter ?? "");
        if (!parameters.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUrl) ||
            realmUrl.Scheme is not ("https" or "http") || (realmUrl.Scheme == "http" && target.Base.Scheme == "https"))
        {
            throw new GitSourceException(GitSourceErrorKind.Authentication, $"{what}: the registry's token realm '{realm}' is not usable");
        }

        var query = $"?scope={Uri.EscapeDataString(parameters.GetValueOrDefault("scope", scope))}" +
                    (parameters.TryGetValue("service", out var service) ? $"&service={Uri.EscapeDataString(service)}" : "");
        var tokenUrl = new Uri(realmUrl.GetLeftPart(UriPartial.Path) + query);
        var fetch = await http.GetAsync(tokenUrl, target.Access, basic, null, MaxManifestBytes, $"{what}: token", cancellationToken)
            .ConfigureAwait(false);
        ChartHttp.ThrowForStatus(fetch, $"{what}: token from {ChartHttp.Show(realmUrl)}");
        try
        {
            var answer = JsonNode.Parse(fetch.Body);
            var token = answer?["token"]?.GetValue<string>() ?? answer?["access_token"]?.GetValue<string>()
                        ?? throw new GitSourceException(GitSourceErrorKind.Authentication, $"{what}: the token answer has no token");
            var lifetime = answer?["expires_in"]?.GetValue<int>() is { } seconds and > 0 ? seconds : 60;
            return (new AuthenticationHeaderValue("Bearer", token), clock.GetUtcNow().AddSeconds(lifetime - 5));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new GitSourceException(GitSourceErrorKind.Authentication, $"{what}: the token answer is not JSON", e);
        }
    }

    /// <summary>realm="…",service="…",scope="…" (values quoted, commas inside quotes kept).</summary>
    private static Dictionary<string, string> Parameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            var eq = text.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            var name = text[i..eq].Trim(' ', ',');
            string value;
            if (eq + 1 < text.Length && text[eq + 1] == '"')
            {
                var end = text.IndexOf('"', eq + 2);
                end = end < 0 ? text.Length : end;
                value = text[(eq + 2)..end];
                i = end + 1;
            }
            else
            {
                var end = text.IndexOf(',', eq + 1);
                end = end < 0 ? text.Length : end;
                value = text[(eq + 1)..end];
                i = end;
            }

            result[name] = value;
            i = text.IndexOf(',', Math.Min(i, text.Length)) is var comma and >= 0 ? comma + 1 : text.Length;
        }

        return result;
    }

    private Target TargetOf(Uri repository, string chart)
    {
        var repoAccess = access(repository.AbsoluteUri + "/" + chart);
        var scheme = repoAccess.PlainHttp ? "http" : "https";
        var path = repository.AbsolutePath.Trim('/');
        return new Target(new Uri($"{scheme}://{repository.Authority}/"), path.Length == 0 ? chart : $"{path}/{chart}", chart, repoAccess);
    }

    private sealed record Target(Uri Base, string Name, string Chart, RepositoryAccess Access);
}
