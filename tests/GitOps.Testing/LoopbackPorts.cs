using System.Net;
using System.Net.Sockets;

namespace GitOps.Testing;

/// <summary>Free loopback ports for servers a test starts (controllers, gRPC, HTTP).</summary>
public static class LoopbackPorts
{
    /// <summary>A port the OS just handed out; free unless another process takes it in the meantime.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
