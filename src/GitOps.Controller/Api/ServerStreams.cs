using Grpc.Core;

namespace GitOps.Controller.Api;

/// <summary>The lifetime of a server stream (the Watch RPCs): the call's, cut short when the host begins to stop.
/// Kestrel stops first and waits for open requests until the shutdown timeout, so a CLI or web UI that is watching
/// would otherwise hold every stop for that long, with the sync loop (stopped after the server) still working.</summary>
internal static class ServerStreams
{
    public static CancellationTokenSource Lifetime(ServerCallContext context, IHostApplicationLifetime host) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, host.ApplicationStopping);
}
