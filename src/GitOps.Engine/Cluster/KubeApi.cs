using System.Buffers;
using System.IO.Pipelines;
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

/// <summary>An object as the server answered it: parsed, and the compact UTF-8 JSON it came as (kept by the live
/// cache as it is instead of serialising the tree again).</summary>
internal sealed record ApiObject(JsonObject Object, byte[] Json);

/// <summary>
/// Generic JSON access to any resource over the client's HttpClient (the typed client cannot address core
/// kinds generically and deserialises into models we do not need). Counts calls so benchmarks can prove a
/// steady-state re-sync writes nothing.
/// </summary>
internal sealed class KubeApi(Kubernetes client, TimeProvider clock, int maxInFlight = ApiTransport.DefaultMaxInFlight)
{
    private const string Json = "application/json";
    private readonly ApiTransport transport = new(client, clock, maxInFlight);
    private long reads;
    private long dryRuns;
    private long writes;

    public ApiCallCounts Counts => new(Interlocked.Read(ref reads), Interlocked.Read(ref dryRuns), Interlocked.Read(ref writes));

    public async Task<JsonObject?> GetAsync(string path, CancellationToken ct)
    {
        Interlocked.Increment(ref reads);
        using var response = await SendAsync(HttpMethod.Get, path, null, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return await ReadObjectAsync(response, ct).ConfigureAwait(false);
    }

    /// <summary>Server-side apply. The body is JSON (valid YAML, which the apply content type expects).</summary>
    public async Task<ApiObject> ApplyAsync(string path, JsonObject body, string fieldManager, bool force,
        bool dryRun, CancellationToken ct)
    {
        Interlocked.Increment(ref dryRun ? ref dryRuns : ref writes);
        var query = $"?fieldManager={Uri.EscapeDataString(fieldManager)}&force={(force ? "true" : "false")}"
            + (dryRun ? "&dryRun=All" : "");
        using var response = await SendAsync(HttpMethod.Patch, path + query,
            (JsonSerializer.SerializeToUtf8Bytes(body), "application/apply-patch+yaml"), ct).ConfigureAwait(false);
        return await ReadAnswerAsync(response, ct).ConfigureAwait(false);
    }

    /// <summary>JSON merge patch (RFC 7386): for removing a field another field manager owns, which an apply cannot.</summary>
    public async Task<ApiObject> MergePatchAsync(string path, JsonObject patch, CancellationToken ct)
    {
        Interlocked.Increment(ref writes);
        using var response = await SendAsync(HttpMethod.Patch, path,
            (JsonSerializer.SerializeToUtf8Bytes(patch), "application/merge-patch+json"), ct).ConfigureAwait(false);
        return await ReadAnswerAsync(response, ct).ConfigureAwait(false);
    }

    /// <summary>Creates (POST): for objects named by the server through metadata.generateName.</summary>
    public async Task<JsonObject> CreateAsync(string collectionPath, JsonObject body, string fieldManager, CancellationToken ct)
    {
        Interlocked.Increment(ref writes);
        using var response = await SendAsync(HttpMethod.Post, $"{collectionPath}?fieldManager={Uri.EscapeDataString(fieldManager)}",
            (JsonSerializer.SerializeToUtf8Bytes(body), Json), ct).ConfigureAwait(false);
        return await ReadObjectAsync(response, ct).ConfigureAwait(false);
    }

    /// <summary>Deletes; false when the object was already gone.</summary>
    public async Task<bool> DeleteAsync(string path, PropagationPolicy propagation, CancellationToken ct)
    {
        Interlocked.Increment(ref writes);
        var options = Encoding.UTF8.GetBytes($$"""{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"{{propagation}}"}""");
        using var response = await SendAsync(HttpMethod.Delete, path, (options, Json), ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await ReadObjectAsync(response, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Streams watch events until the server closes the watch.</summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(string pathAndQuery,
        [EnumeratorCancellation] CancellationToken ct)
    {
        Interlocked.Increment(ref reads);
        using var request = new HttpRequestMessage(HttpMethod.Get, ToUri(pathAndQuery));
        using var response = await transport.OpenAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            await ReadObjectAsync(response, ct).ConfigureAwait(false); // throws with the server's message
        }

        using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var reader = PipeReader.Create(stream);
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(ct).ConfigureAwait(false);
                var buffer = read.Buffer;
                List<WatchEvent>? events = null;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    var line = buffer.Slice(0, end);
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                    if (WatchEvent.Read(line.IsSingleSegment ? line.FirstSpan : line.ToArray()) is { } evt)
                    {
                        (events ??= []).Add(evt);
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                foreach (var evt in events ?? [])
                {
                    yield return evt;
                }

                if (read.IsCompleted)
                {
                    yield break;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private Uri ToUri(string pathAndQuery) => new(client.BaseUri, pathAndQuery);

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, (byte[] Bytes, string Type)? body,
        CancellationToken ct) =>
        transport.SendAsync(() =>
        {
            var request = new HttpRequestMessage(method, ToUri(pathAndQuery));
            if (body is { } content)
            {
                request.Content = new ByteArrayContent(content.Bytes);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(content.Type);
            }

            return request;
        }, ct);

    private static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response, CancellationToken ct) =>
        (await ReadAnswerAsync(response, ct).ConfigureAwait(false)).Object;

    private static async Task<ApiObject> ReadAnswerAsync(HttpResponseMessage response, CancellationToken ct)
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
            return new ApiObject(obj, bytes);
        }

        var message = obj?["message"]?.GetValue<string>() ?? $"HTTP {(int)response.StatusCode}";
        var reason = obj?["reason"]?.GetValue<string>() ?? response.StatusCode.ToString();
        throw new KubeApiException(response.StatusCode, reason, message);
    }
}
