using k8s;
using Microsoft.Extensions.Logging;

namespace GitOps.NodeSimulator;

/// <summary>
/// The node simulator: registers its Nodes, serves their log endpoint, watches the Pods in scope and drives them.
/// Start it, and dispose it to stop (its Nodes are then deleted unless the options keep them).
/// </summary>
internal sealed class Simulator : IAsyncDisposable
{
    private static readonly TimeSpan Resync = TimeSpan.FromSeconds(30);
    private readonly Kubernetes client;
    private readonly SimulatorOptions options;
    private readonly TimeProvider time;
    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;
    private readonly PodCache cache = new();
    private readonly WorkQueue queue;
    private readonly NodeAgent nodes;
    private readonly LogEndpoint logEndpoint;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> loops = [];

    public Simulator(Kubernetes client, SimulatorOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        this.client = client;
        this.options = options;
        this.time = time;
        this.loggers = loggers;
        logger = loggers.CreateLogger<Simulator>();
        queue = new WorkQueue(time);
        nodes = new NodeAgent(client, options, time, loggers.CreateLogger<NodeAgent>());
        logEndpoint = new LogEndpoint(cache, loggers);
    }

    public IReadOnlyList<string> NodeNames => nodes.Nodes.Select(n => n.Name).ToList();

    public async Task StartAsync(CancellationToken ct)
    {
        await logEndpoint.StartAsync(options.LogPort, ct).ConfigureAwait(false);
        nodes.KubeletPort = logEndpoint.Port;
        await nodes.RegisterAsync(ct).ConfigureAwait(false);

        var token = stopping.Token;
        var controller = new PodController(client, cache, queue, new PodLifecycle(options), nodes.Nodes, time,
            loggers.CreateLogger<PodController>());
        loops.Add(Task.Run(() => nodes.RunAsync(token), CancellationToken.None));
        loops.Add(Task.Run(() => controller.RunAsync(token), CancellationToken.None));
        var watchLogger = loggers.CreateLogger<PodWatcher>();
        IEnumerable<string?> targets = options.Scope.NeedsClusterWideWatch ? [null] : options.Scope.Exact.Cast<string?>();
        foreach (var ns in targets)
        {
            var watcher = new PodWatcher(client, ns, options.Scope, cache, queue, time, watchLogger);
            loops.Add(Task.Run(() => watcher.RunAsync(token), CancellationToken.None));
        }

        loops.Add(Task.Run(() => ResyncAsync(token), CancellationToken.None));
        logger.LogInformation("Node simulator up: nodes {Nodes}, Pods in {Scope}, kubelet log port {Port}",
            string.Join(",", NodeNames), options.Scope, logEndpoint.Port);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(loops).ConfigureAwait(false);
        if (options.DeleteNodesOnExit)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await nodes.DeleteNodesAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or OperationCanceledException)
            {
                logger.LogWarning("Could not delete the simulated nodes: {Error}", e.Message);
            }
        }

        await logEndpoint.DisposeAsync().ConfigureAwait(false);
        stopping.Dispose();
    }

    /// <summary>Looks at every known Pod now and then: a safety net for a lost timer or a failed write.</summary>
    private async Task ResyncAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Resync, time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            foreach (var key in cache.Keys)
            {
                queue.Add(key);
            }
        }
    }
}
