using GitOps.Engine;

namespace GitOps.Controller.Adapters;

/// <summary>
/// Stops the engine's watches once the host has stopped everything that reads them (the API server, the sync loop,
/// the drift watcher: <see cref="StoppedAsync"/> runs after every hosted service's StopAsync), and before the
/// container disposes the Kubernetes client the watches use. The container disposes in reverse order of resolution,
/// which nothing fixes here: the client (also registered as IKubernetes) could go first, and an informer restarting
/// its watch over a disposed client failed the stop with a NullReferenceException.
/// </summary>
internal sealed class ClusterEngineLifetime(IClusterEngine engine, ILogger<ClusterEngineLifetime> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await engine.DisposeAsync().AsTask().WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // They were cancelled and end on their own; the container's disposal of the engine waits for them.
            logger.LogWarning("The shutdown timeout passed while the live watches were stopping");
        }
    }
}
