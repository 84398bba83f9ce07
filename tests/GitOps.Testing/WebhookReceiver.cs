using System.Collections.Concurrent;
using System.Net;

namespace GitOps.Testing;

/// <summary>One request the receiver got.</summary>
public sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A real HTTP server on loopback (HttpListener) that records what it receives. <paramref name="answer"/> decides,
/// per request number (1-based), the status code and how long to wait before answering — a receiver that answers
/// 500, or is slow. Stop it (or never start one on a port) for a receiver that is down.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly LoopbackListener listener;
    private readonly ConcurrentQueue<ReceivedRequest> received = new();
    private readonly Func<int, (int Status, TimeSpan Delay)> answer;
    private readonly CancellationTokenSource stop = new();
    private int count;

    public WebhookReceiver(Func<int, (int Status, TimeSpan Delay)>? answer = null)
    {
        this.answer = answer ?? (_ => (200, TimeSpan.Zero));
        listener = new LoopbackListener(HandleAsync);
    }

    public int Port => listener.Port;

    /// <summary>A URL on this receiver whose path looks like an incoming-webhook secret.</summary>
    public string Url(string path = "hooks/T000/B000/s3cr3t-token") => $"http://127.0.0.1:{Port}/{path}";

    /// <summary>Requests received, in arrival order (recorded before the answer is sent).</summary>
    public IReadOnlyList<ReceivedRequest> Requests => [.. received];

    /// <summary>Requests that arrived (including ones still waiting to be answered).</summary>
    public int Attempts => Volatile.Read(ref count);

    private async Task HandleAsync(HttpListenerContext context)
    {
        var n = Interlocked.Increment(ref count);
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
            .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
        received.Enqueue(new ReceivedRequest(context.Request.Url!.AbsolutePath, headers, body.ToArray()));
        var (status, delay) = answer(n);
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, stop.Token);
            }

            context.Response.StatusCode = status;
            context.Response.Close();
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Dispose();
        stop.Dispose();
    }
}
