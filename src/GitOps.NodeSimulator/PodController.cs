using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace GitOps.NodeSimulator;

/// <summary>Takes Pod keys off the queue and carries out <see cref="PodLifecycle"/>'s decision against the API
/// server: bind, write status, delete. One worker: the Pods of a demo or a test are few, and one worker never
/// handles the same Pod twice at once.</summary>
internal sealed class PodController(
    IKubernetes client, PodCache cache, WorkQueue queue, PodLifecycle lifecycle, IReadOnlyList<SimNode> nodes,
    TimeProvider time, ILogger<PodController> logger)
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            string key;
            try
            {
                key = await queue.TakeAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await ReconcileAsync(key, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // Our copy was stale; the watch brings the new one (and queues it), this is a fallback.
                queue.AddAfter(key, RetryAfter, ct);
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException or TaskCanceledException)
            {
                logger.LogWarning("Pod {Pod}: {Error}; retrying", key, e.Message);
                queue.AddAfter(key, RetryAfter, ct);
            }
        }
    }

    private async Task ReconcileAsync(string key, CancellationToken ct)
    {
        if (cache.Get(key) is not { } pod)
        {
            return;
        }

        var decision = lifecycle.Decide(pod, nodes, time.GetUtcNow());
        var name = pod.Metadata.Name;
        var ns = pod.Metadata.NamespaceProperty;
        switch (decision.Action)
        {
            case PodAction.Bind bind:
                var bound = await Ignoring(HttpStatusCode.Conflict, () => client.CoreV1.CreateNamespacedPodBindingAsync(new V1Binding
                {
                    Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
                    Target = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = bind.Node },
                }, name, ns, cancellationToken: ct)).ConfigureAwait(false);
                if (bound is not null)
                {
                    logger.LogInformation("Pod {Namespace}/{Pod} bound to {Node}", ns, name, bind.Node);
                }

                break;
            case PodAction.Delete:
                await Ignoring(HttpStatusCode.Conflict, () => client.CoreV1.DeleteNamespacedPodAsync(name, ns, new V1DeleteOptions
                {
                    GracePeriodSeconds = 0,
                    Preconditions = new V1Preconditions { Uid = pod.Metadata.Uid },
                }, cancellationToken: ct)).ConfigureAwait(false);
                logger.LogInformation("Pod {Namespace}/{Pod} stopped and removed", ns, name);
                break;
            case PodAction.WriteStatus write:
                var updated = await Ignoring(HttpStatusCode.Conflict, () => client.CoreV1.ReplaceNamespacedPodStatusAsync(new V1Pod
                {
                    ApiVersion = "v1",
                    Kind = "Pod",
                    Metadata = pod.Metadata,
                    Spec = pod.Spec,
                    Status = write.Status,
                }, name, ns, cancellationToken: ct)).ConfigureAwait(false);
                if (updated is not null)
                {
                    cache.Put(updated);
                    logger.LogInformation("Pod {Namespace}/{Pod} is {Stage} ({Phase})", ns, name, write.Stage, write.Status.Phase);
                }

                break;
        }

        if (decision.RecheckAfter is { } after)
        {
            queue.AddAfter(key, after, ct);
        }
    }

    /// <summary>A Pod gone (404) needs nothing more; <paramref name="benign"/> (a lost race) is left to the watch.</summary>
    private static async Task<T?> Ignoring<T>(HttpStatusCode benign, Func<Task<T>> call) where T : class
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound || e.Response.StatusCode == benign)
        {
            return null;
        }
    }
}
