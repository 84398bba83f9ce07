using System.Net;

namespace GitOps.Testing;

/// <summary>A real HTTP listener on a free loopback port that hands each request to <c>handle</c> on the thread
/// pool until disposed (the test kit's small servers: webhook receivers, chart repositories, a registry token server).</summary>
public sealed class LoopbackListener : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<HttpListenerContext, Task> handle;

    public LoopbackListener(Func<HttpListenerContext, Task> handle)
    {
        this.handle = handle;
        Port = LoopbackPorts.Free();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public void Dispose() => listener.Close();

    private async Task LoopAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => handle(context));
        }
    }
}
