using System.Threading.Channels;
using GitOps.Controller.State;
using GitOps.Engine;
using k8s;

namespace GitOps.Controller.Api;

/// <summary>
/// What may change an app's resource tree, as one signal: the app's own objects (the engine's live watch), its
/// status (StatusHub), and Pods in its namespaces (a Kubernetes watch per namespace: Pods carry no app label, so the
/// engine's label-scoped informers never see them; a new ReplicaSet or Job shows up through its Pods and its owner).
/// </summary>
internal sealed class ResourceTreeChanges(IKubernetes client, IClusterEngine engine, StatusHub hub, TimeProvider clock,
    ILogger<ResourceTreeChanges> logger)
{
    /// <summary>Starts following the app; the subscription ends with <paramref name="ct"/>.</summary>
    public Subscription Follow(string app, CancellationToken ct)
    {
        // One pending signal is enough: a rebuild reads everything anew, so a burst of changes costs one rebuild.
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        var subscription = new Subscription(this, app, changed, ct);
        _ = RetryAsync($"live objects of {app}", async token =>
        {
            await foreach (var _ in engine.WatchAsync(app, token))
            {
                changed.Writer.TryWrite(true);
            }
        }, ct);
        _ = RetryAsync($"status of {app}", async token =>
        {
            await foreach (var _ in hub.Subscribe(app, token).ReadAllAsync(token))
            {
                changed.Writer.TryWrite(true);
            }
        }, ct);
        return subscription;
    }

    private Task WatchPodsAsync(string ns, ChannelWriter<bool> changed, CancellationToken ct) =>
        RetryAsync($"pods in {ns}", async token =>
        {
            // A watch without a resourceVersion starts with every Pod as ADDED: one rebuild that finds nothing new.
            await foreach (var _ in client.CoreV1.WatchListNamespacedPodAsync(ns, timeoutSeconds: 300, cancellationToken: token))
            {
                changed.TryWrite(true);
            }
        }, ct);

    /// <summary>Runs a watch until cancelled, again after it ends or fails (a short pause after a failure).</summary>
    private async Task RetryAsync(string what, Func<CancellationToken, Task> watch, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await watch(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogDebug("Resource tree watch of {What} failed, retrying: {Error}", what, e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), clock, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>The signal of one app's tree, and the namespaces whose Pods it follows.</summary>
    internal sealed class Subscription(ResourceTreeChanges owner, string app, Channel<bool> changed, CancellationToken ct)
    {
        private readonly HashSet<string> namespaces = [];

        public string App { get; } = app;

        public ChannelReader<bool> Changed => changed.Reader;

        /// <summary>Follows the Pods of these namespaces too (the app's namespaces, as its latest tree has them).</summary>
        public void WatchNamespaces(IEnumerable<string> current)
        {
            foreach (var ns in current.Where(namespaces.Add))
            {
                _ = owner.WatchPodsAsync(ns, changed.Writer, ct);
            }
        }
    }
}
