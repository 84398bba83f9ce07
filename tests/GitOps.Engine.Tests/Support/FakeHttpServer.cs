using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GitOps.Engine.Tests.Support;

/// <summary>A loopback HTTP/1.1 server answering each request on a connection of its own ("Connection: close") with
/// what <c>answer</c> returns: for testing how the engine's transport behaves on answers a real API server gives only
/// under load (429) or in its own time.</summary>
internal sealed class FakeHttpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;

    public FakeHttpServer(Func<string, Task<string>> answer)
    {
        listener.Start();
        accepting = Task.Run(async () =>
        {
            List<Task> connections = [];
            try
            {
                while (true)
                {
                    var socket = await listener.AcceptSocketAsync(stop.Token);
                    connections.Add(Task.Run(() => ServeAsync(socket, answer)));
                }
            }
            catch (OperationCanceledException)
            {
                await Task.WhenAll(connections);
            }
        });
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    /// <summary>An HTTP answer with a JSON body.</summary>
    public static string Answer(int status, string body, string headers = "") =>
        $"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n{headers}Connection: close\r\n\r\n{body}";

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }

    private static async Task ServeAsync(Socket socket, Func<string, Task<string>> answer)
    {
        using (socket)
        await using (var stream = new NetworkStream(socket))
        {
            // The request line and headers; a body, if any, is not needed by the tests.
            var head = new StringBuilder();
            var buffer = new byte[8192];
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    return;
                }

                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            var requestLine = head.ToString()[..head.ToString().IndexOf('\r', StringComparison.Ordinal)];
            await stream.WriteAsync(Encoding.UTF8.GetBytes(await answer(requestLine)));
        }
    }
}
