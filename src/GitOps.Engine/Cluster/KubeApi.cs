using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace GitOps.Engine.Cluster;

/// <summary>An error answer from the API server (the Status object's message, code and reason).</summary>
internal sealed class KubeApiException(HttpStatusCode status, string reason, string message)
    : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public string Reason { get; } = reason;

    public bool IsNotFound => Status == HttpStatusCode.NotFound;

    public bool IsImmutableFieldError =>
        Status == HttpStatusCode.UnprocessableEntity && Message.Contains("immutable", StringComparison.Ordinal);
}

/// <summary>
/// Generic JSON access to any resource over the client's HttpClient (the typed client cannot address core
/// kinds generically and deserialises into models we do not need). Counts calls so benchmarks can prove a
/// steady-state re-sync writes nothing.
/// </summary>
internal sealed class KubeApi
{
    private readonly Kubernetes client;
    private long reads;
    private long dryRuns;
    private long writes;

    public KubeApi(Kubernetes client) => this.client = client;

    public ApiCallCounts Counts => new(Interlocked.Read(ref reads), Interlocked.Read(ref dryRuns), Interlocked.Read(ref writes));

    public async Task<JsonObject?> GetAsync(string path, CancellationToken ct)
    {
        Interlocked.Increment(ref reads);
        using var request = new HttpRequestMessage(HttpMethod.Get, ToUri(path));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return await ReadObjectAsync(response, ct).ConfigureAwait(false);
    }

    /// <summary>Server-side apply. The body is JSON (valid YAML, which the apply content type expects).</summary>
    public async Task<JsonObject> ApplyAsync(string path, JsonObject body, string fieldManager, bool force,
        bool dryRun, CancellationToken ct)
    {
        Interlocked.Increment(ref dryRun ? ref dryRuns : ref writes);
        var query = $"?fieldManager={Uri.EscapeDataString(fieldManager)}&force={(force ? "true" : "false")}"
            + (dryRun ? "&dryRun=All" : "");
        using var request = new HttpRequestMessage(HttpMethod.Patch, ToUri(path + query))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        return await ReadObjectAsync(response, ct).ConfigureAwait(false);
    }

    /// <summary>JSON merge patch (RFC 7386): for removing a field another field manager owns, which an apply cannot.</summary>
    public async Task<JsonObject> MergePatchAsync(string path, JsonObject patch, CancellationToken ct)
    {
        Interlocked.Increment(ref writes);
        using var request = new HttpRequestMessage(HttpMethod.Patch, ToUri(path))
        {
            Content = new StringContent(patch.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        return await ReadObjectAsync(response, ct).ConfigureAwait(false);
    }

    /// <summary>Creates (POST): for objects named by the server through metadata.generateName.</summary>
    public async Task<JsonObject> CreateAsync(string collectionPath, JsonObject body, string fieldManager, CancellationToken ct)
    {
        Interlocked.Increment(ref writes);
        using var request = new HttpRequestMessage(HttpMethod.Post, ToUri($"{collectionPath}?fieldManager={Uri.EscapeDataString(fieldManager)}"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        return await ReadObjectAsync(response, ct).ConfigureAwait(false);
    }

    /// <summary>Deletes; false when the object was already gone.</summary>
    public async Task<bool> DeleteAsync(string path, PropagationPolicy propagation, CancellationToken ct)
    {
        Interlocked.Increment(ref writes);
        using var request = new HttpRequestMessage(HttpMethod.Delete, ToUri(path))
        {
            Content = new StringContent(
                $$"""{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"{{propagation}}"}""",
                Encoding.UTF8, "application/json"),
        };
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await ReadObjectAsync(response, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Streams watch events (type, object) until the server closes the watch.</summary>
    public async IAsyncEnumerable<(string Type, JsonObject Object)> WatchAsync(string pathAndQuery,
        [EnumeratorCancellation] CancellationToken ct)
    {
        Interlocked.Increment(ref reads);
        using var request = new HttpRequestMessage(HttpMethod.Get, ToUri(pathAndQuery));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            await ReadObjectAsync(response, ct).ConfigureAwait(false); // throws with the server's message
        }

        using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0 || JsonNode.Parse(line) is not JsonObject evt)
            {
                continue;
            }

            if (evt["type"]?.GetValue<string>() is { } type && evt["object"] is JsonObject obj)
            {
                evt.Remove("object");
                yield return (type, obj);
            }
        }
    }

    private Uri ToUri(string pathAndQuery) => new(client.BaseUri, pathAndQuery);

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion,
        CancellationToken ct)
    {
        // HTTP/2 when the server offers it: one connection multiplexes the watches and parallel applies
        // instead of a TLS handshake per concurrent request.
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;

        // HttpClient used directly does not authenticate: the credentials must sign each request.
        if (client.Credentials is not null)
        {
            await client.Credentials.ProcessHttpRequestAsync(request, ct).ConfigureAwait(false);
        }

        return await client.HttpClient.SendAsync(request, completion, ct).ConfigureAwait(false);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response, CancellationToken ct)
    {
        // Parsed from the UTF-8 bytes as they came (a string would be transcoded there and back).
        var bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        JsonObject? obj = null;
        try
        {
            obj = JsonNode.Parse(bytes) as JsonObject;
        }
        catch (JsonException)
        {
            // Not JSON (a proxy error page): reported below.
        }

        if (response.IsSuccessStatusCode && obj is not null)
        {
            return obj;
        }

        var message = obj?["message"]?.GetValue<string>() ?? $"HTTP {(int)response.StatusCode}";
        var reason = obj?["reason"]?.GetValue<string>() ?? response.StatusCode.ToString();
        throw new KubeApiException(response.StatusCode, reason, message);
    }
}
