using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using k8s;

namespace GitOps.Bench.Engine.Ceiling;

/// <summary>One server-side-apply request, ready to send: path with query, and the body's bytes.</summary>
internal sealed record RawRequest(string PathAndQuery, byte[] Body);

/// <summary>
/// The least a client can do to server-side-apply objects: pre-serialised bodies, K requests in flight from a
/// shared queue, responses read as bytes and only their status checked. Over HTTP/2 the K requests are streams
/// of one connection; over HTTP/1.1 they are K connections.
/// </summary>
internal sealed class RawApplier : IDisposable
{
    private readonly HttpClient http;
    private readonly Version version;
    private readonly string token;

    public RawApplier(KubernetesClientConfiguration config, Version version, int connections)
    {
        this.version = version;
        token = config.AccessToken ?? throw new InvalidOperationException("the ceiling client needs a token in the kubeconfig");
        var trusted = config.SslCaCerts ?? [];
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                // The client library's own check against the kubeconfig's CA.
                RemoteCertificateValidationCallback = (sender, cert, chain, errors) =>
                    cert is not null && chain is not null && Kubernetes.CertificateValidationCallBack(sender, trusted, cert, chain, errors),
            },
        };
        http = new HttpClient(handler) { BaseAddress = new Uri(config.Host), Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>Opens the connections (K parallel requests) so that no handshake is timed.</summary>
    public Task WarmAsync(int parallelism, CancellationToken ct) =>
        Parallel.ForEachAsync(Enumerable.Range(0, parallelism), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (_, t) => await SendAsync(HttpMethod.Get, "/version", null, null, t).ConfigureAwait(false));

    /// <summary>Sends every request, <paramref name="parallelism"/> at a time, in order; the failures' count and
    /// the first one's answer.</summary>
    public async Task<(int Failures, string? First)> ApplyAsync(IReadOnlyList<RawRequest> requests, int parallelism, CancellationToken ct)
    {
        var next = -1;
        var failures = 0;
        string? first = null;
        var workers = Enumerable.Range(0, Math.Min(parallelism, requests.Count)).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Count)
            {
                var (status, body) = await SendAsync(HttpMethod.Patch, requests[i].PathAndQuery, requests[i].Body,
                    "application/apply-patch+yaml", ct).ConfigureAwait(false);
                if (status is not (HttpStatusCode.OK or HttpStatusCode.Created))
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref first, $"{(int)status} {requests[i].PathAndQuery}: {body}", null);
                }
            }
        });
        await Task.WhenAll(workers).ConfigureAwait(false);
        return (failures, first);
    }

    /// <summary>Opens a watch of each collection (label-selected as the engine's are) and reads it to the end, counting
    /// its events, until <paramref name="ct"/> is cancelled; returns once every watch's headers have come back.</summary>
    public async Task<Func<Task<long>>> WatchAsync(IEnumerable<string> collectionPaths, string labelSelector, CancellationToken ct)
    {
        var events = 0L;
        var opened = new List<(HttpResponseMessage Response, Task Reading)>();
        foreach (var path in collectionPaths)
        {
            var request = Request(HttpMethod.Get, $"{path}?watch=1&allowWatchBookmarks=true&labelSelector={Uri.EscapeDataString(labelSelector)}");
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            opened.Add((response, ReadAsync(response)));
        }

        async Task ReadAsync(HttpResponseMessage response)
        {
            try
            {
                // The events are counted, not parsed: this is the server's side of keeping a cache, not the client's.
                using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
                var buffer = new byte[64 * 1024];
                int read;
                while ((read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    Interlocked.Add(ref events, buffer.AsSpan(0, read).Count((byte)'\n'));
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (IOException) when (ct.IsCancellationRequested)
            {
            }
        }

        return async () =>
        {
            foreach (var (response, reading) in opened)
            {
                await reading.ConfigureAwait(false);
                response.Dispose();
            }

            return Interlocked.Read(ref events);
        };
    }

    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string pathAndQuery, byte[]? body,
        string? contentType, CancellationToken ct, bool readBody = false)
    {
        using var request = Request(method, pathAndQuery);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType!);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        // Only a failure's answer is read as text (to report it); a success's bytes are left unparsed.
        return response.IsSuccessStatusCode && !readBody
            ? (response.StatusCode, "")
            : (response.StatusCode, await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
    }

    /// <summary>A request in this client's protocol, exactly, with its token.</summary>
    private HttpRequestMessage Request(HttpMethod method, string pathAndQuery)
    {
        var request = new HttpRequestMessage(method, pathAndQuery)
        {
            Version = version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    public void Dispose() => http.Dispose();
}
