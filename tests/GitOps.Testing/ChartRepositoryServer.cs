using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace GitOps.Testing;

/// <summary>
/// A Helm chart repository over real HTTP on loopback (HttpListener): static files (index.yaml, .tgz archives) with
/// ETag and Last-Modified, answering conditional GETs with 304 as a web server does. Optional behaviours for the
/// unhappy paths: basic or bearer auth, a redirect of one path elsewhere, a delay before answering.
/// </summary>
public sealed class ChartRepositoryServer : IDisposable
{
    private readonly LoopbackListener listener;
    private readonly ConcurrentDictionary<string, (byte[] Body, string ETag, DateTimeOffset Modified)> files = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Path, int Status)> log = new();
    private readonly CancellationTokenSource stop = new();

    public ChartRepositoryServer(string prefix = "charts")
    {
        Prefix = prefix;
        listener = new LoopbackListener(HandleAsync);
    }

    public int Port => listener.Port;

    public string Prefix { get; }

    /// <summary>The repository URL (what an app's source.repoURL names).</summary>
    public string Url => $"http://127.0.0.1:{Port}/{Prefix}";

    /// <summary>"user:password" required as basic auth, when set.</summary>
    public string? BasicAuth { get; set; }

    /// <summary>A bearer token required, when set.</summary>
    public string? BearerToken { get; set; }

    /// <summary>Waited before each answer (a slow server).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Path (below the prefix) → absolute URL it redirects to (302).</summary>
    public ConcurrentDictionary<string, string> Redirects { get; } = new(StringComparer.Ordinal);

    /// <summary>Requests served, as (path below the prefix, status), in order.</summary>
    public IReadOnlyList<(string Path, int Status)> Requests => [.. log];

    public int Count(string path, int? status = null) => Requests.Count(r => r.Path == path && (status is null || r.Status == status));

    /// <summary>Publishes the charts and an index.yaml listing them (replacing the previous index).</summary>
    public void Publish(IEnumerable<PackagedChart> charts, Func<PackagedChart, string>? url = null)
    {
        var list = charts.ToList();
        foreach (var c in list)
        {
            Put(c.FileName, c.Archive);
        }

        Put("index.yaml", Encoding.UTF8.GetBytes(HelmCharts.Index(list, url)));
    }

    /// <summary>Serves a file below the prefix; a changed body gets a new ETag and Last-Modified.</summary>
    public void Put(string path, byte[] body)
    {
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(body))[..16] + "\"";
        var now = DateTimeOffset.UtcNow;
        var modified = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero);
        files[path] = (body, etag, modified);
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Dispose();
        stop.Dispose();
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        var path = context.Request.Url!.AbsolutePath.TrimStart('/');
        path = path.StartsWith(Prefix + "/", StringComparison.Ordinal) ? path[(Prefix.Length + 1)..] : "/" + path;
        var status = 200;
        try
        {
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, stop.Token);
            }

            var authorization = context.Request.Headers["Authorization"];
            if ((BasicAuth is { } basic && authorization != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(basic))) ||
                (BearerToken is { } token && authorization != "Bearer " + token))
            {
                status = 401;
                response.AddHeader("WWW-Authenticate", BearerToken is null ? "Basic realm=\"charts\"" : "Bearer realm=\"charts\"");
            }
            else if (Redirects.TryGetValue(path, out var target))
            {
                status = 302;
                response.RedirectLocation = target;
            }
            else if (!files.TryGetValue(path, out var file))
            {
                status = 404;
            }
            else
            {
                response.AddHeader("ETag", file.ETag);
                response.AddHeader("Last-Modified", file.Modified.ToString("R"));
                var ifNoneMatch = context.Request.Headers["If-None-Match"];
                var ifModifiedSince = context.Request.Headers["If-Modified-Since"];
                var notModified = ifNoneMatch is not null
                    ? ifNoneMatch.Split(',').Any(t => t.Trim() == file.ETag)
                    : ifModifiedSince is not null && DateTimeOffset.TryParse(ifModifiedSince, out var since) && file.Modified <= since;
                if (notModified)
                {
                    status = 304;
                }
                else
                {
                    response.ContentType = path.EndsWith(".yaml", StringComparison.Ordinal) ? "application/x-yaml" : "application/gzip";
                    response.ContentLength64 = file.Body.Length;
                    response.StatusCode = 200;
                    log.Enqueue((path, 200));
                    await response.OutputStream.WriteAsync(file.Body, stop.Token);
                    response.Close();
                    return;
                }
            }

            log.Enqueue((path, status));
            response.StatusCode = status;
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // the client went away (a timeout test) or the server is stopping
        }
    }
}
