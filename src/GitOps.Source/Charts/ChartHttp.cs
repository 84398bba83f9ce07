using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace GitOps.Source.Charts;

/// <summary>What one bounded GET brought back (after same-host redirects).</summary>
internal sealed record HttpFetch(HttpStatusCode Status, byte[] Body, HttpResponseHeaders Headers, HttpContentHeaders? ContentHeaders, Uri Url);

/// <summary>Limits every request to a chart repository or registry obeys.</summary>
internal sealed record HttpLimits(TimeSpan Timeout, int MaxRedirects = 5);

/// <summary>
/// Bounded HTTP for chart repositories and registries: the whole exchange (headers and body) under one deadline, a
/// byte cap checked on Content-Length and while reading, redirects followed only to the same scheme, host and port
/// (a repository that sends us elsewhere is refused, so credentials never leave it), TLS verified against the
/// system store or the entry's CA bundle unless the entry says otherwise. One client per TLS setting; credentials
/// go on each request, never into the client.
/// </summary>
internal sealed class ChartHttp(HttpLimits limits) : IDisposable
{
    private readonly ConcurrentDictionary<(string? Ca, bool Insecure), HttpClient> clients = new();

    public void Dispose()
    {
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }
    }

    /// <param name="configure">Adds headers to each request (conditional GET, Accept).</param>
    /// <param name="authorization">The Authorization header for the origin, or null; never sent to another host.</param>
    /// <param name="foreignRedirects">Follow redirects to another host (without credentials): only for content that is
    /// verified by its digest afterwards (registry blobs, which registries serve from a storage host).</param>
    public async Task<HttpFetch> GetAsync(Uri url, RepositoryAccess access, AuthenticationHeaderValue? authorization,
        Action<HttpRequestMessage>? configure, long maxBytes, string what, CancellationToken cancellationToken,
        bool foreignRedirects = false)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limits.Timeout);
        var client = ClientFor(access);
        var origin = url;
        var current = url;
        try
        {
            for (var hop = 0; ; hop++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.Authorization = SameOrigin(origin, current) ? authorization : null;
                configure?.Invoke(request);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token)
                    .ConfigureAwait(false);
                if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
                {
                    var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                    if (!SameOrigin(origin, next) && !(foreignRedirects && next.Scheme == "https"))
                    {
                        throw new GitSourceException(GitSourceErrorKind.Network,
                            $"{what}: {Show(current)} redirects to {Show(next)}, another host or scheme: refused");
                    }

                    if (hop >= limits.MaxRedirects)
                    {
                        throw new GitSourceException(GitSourceErrorKind.Network, $"{what}: more than {limits.MaxRedirects} redirects from {Show(origin)}");
                    }

                    current = next;
                    continue;
                }

                if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
                {
                    throw new GitSourceException(GitSourceErrorKind.TooLarge,
                        $"{what}: {Show(current)} is {length} bytes, more than the limit of {maxBytes}");
                }

                var body = response.IsSuccessStatusCode
                    ? await ReadCappedAsync(response.Content, maxBytes, what, current, deadline.Token).ConfigureAwait(false)
                    : [];
                return new HttpFetch(response.StatusCode, body, response.Headers, response.Content.Headers, current);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GitSourceException(GitSourceErrorKind.Network,
                $"{what}: {Show(current)} did not answer within {limits.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            throw new GitSourceException(GitSourceErrorKind.Network, $"{what}: cannot reach {Show(current)}: {e.Message}", e);
        }
    }

    /// <summary>Basic or bearer, from the credentials entry.</summary>
    public static AuthenticationHeaderValue? AuthorizationFor(RepositoryAccess access) =>
        access.BearerToken is { } token ? new AuthenticationHeaderValue("Bearer", token)
        : access.Basic is { } basic ? new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{basic.Username}:{basic.Password}")))
        : null;

    /// <summary>A URL as it may be shown: no user info, no query (pre-signed URLs carry secrets there).</summary>
    public static string Show(Uri url) => $"{url.Scheme}://{url.Authority}{url.AbsolutePath}";

    public static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    public static void ThrowForStatus(HttpFetch fetch, string what)
    {
        switch (fetch.Status)
        {
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                throw new GitSourceException(GitSourceErrorKind.Authentication,
                    $"{what}: {Show(fetch.Url)} answered {(int)fetch.Status}: check the repository credentials");
            case HttpStatusCode.NotFound:
                throw new GitSourceException(GitSourceErrorKind.RevisionNotFound, $"{what}: {Show(fetch.Url)} not found (404)");
            case < HttpStatusCode.OK or >= HttpStatusCode.MultipleChoices:
                throw new GitSourceException(GitSourceErrorKind.Network, $"{what}: {Show(fetch.Url)} answered {(int)fetch.Status}");
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, long maxBytes, string what, Uri url, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new GitSourceException(GitSourceErrorKind.TooLarge, $"{what}: {Show(url)} is larger than the limit of {maxBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private HttpClient ClientFor(RepositoryAccess access) => clients.GetOrAdd((access.CaFile, access.InsecureSkipTlsVerify), key =>
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None, // sizes are capped on the bytes as sent
            ConnectTimeout = limits.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseCookies = false,
        };
        if (key.Insecure)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (key.Ca is { } caFile)
        {
            var trusted = new X509Certificate2Collection();
            try
            {
                trusted.ImportFromPemFile(caFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new GitSourceException(GitSourceErrorKind.Authentication,
                    $"the CA bundle '{caFile}' named in the credentials file cannot be read: {e.GetType().Name}", e);
            }

            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None ||
                (certificate is X509Certificate2 leaf && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 &&
                 ChainsTo(leaf, trusted));
        }

        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    });

    private static bool ChainsTo(X509Certificate2 leaf, X509Certificate2Collection trusted)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }
}
