using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace GitOps.NodeSimulator;

/// <summary>
/// Registers the simulated Nodes and keeps them alive the way a kubelet does on 1.20: a Lease in kube-node-lease
/// renewed every 10 s (the node lifecycle controller marks a node Unknown, taints it and evicts its Pods when
/// neither the lease nor the Ready condition's heartbeat moved for its 40 s grace period) and a Ready status
/// posted at registration and refreshed every minute. A Node or Lease deleted behind its back is recreated.
/// </summary>
internal sealed class NodeAgent(IKubernetes client, SimulatorOptions options, TimeProvider time, ILogger<NodeAgent> logger)
{
    public const string NodeLabel = "sim.gitops.dev/node";
    private const string LeaseNamespace = "kube-node-lease";
    private static readonly TimeSpan StatusRefresh = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, DateTimeOffset> statusPostedAt = [];

    public IReadOnlyList<SimNode> Nodes { get; } = Enumerable.Range(0, options.NodeCount)
        .Select(i => $"{options.NodePrefix}-{i}")
        .Select(name => new SimNode(name, Labels(name), "127.0.0.1", $"10.{244 + (PodLifecycle.StableHash(name) % 10)}.{PodLifecycle.StableHash(name + "/") % 256}"))
        .ToList();

    /// <summary>Port the API server reaches for `kubectl logs` (set once the log endpoint listens).</summary>
    public int KubeletPort { get; set; }

    public async Task RegisterAsync(CancellationToken ct)
    {
        await DeleteStaleNodesAsync(ct).ConfigureAwait(false);
        await HeartbeatOnceAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Renews leases until cancelled; API errors (a restarting API server) are logged and retried.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.HeartbeatInterval, time, ct).ConfigureAwait(false);
                await HeartbeatOnceAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException or TaskCanceledException)
            {
                logger.LogWarning("Node heartbeat failed, retrying: {Error}", e.Message);
            }
        }
    }

    public async Task DeleteNodesAsync(CancellationToken ct)
    {
        foreach (var node in Nodes)
        {
            await IgnoreNotFound(() => client.CoordinationV1.DeleteNamespacedLeaseAsync(node.Name, LeaseNamespace, cancellationToken: ct)).ConfigureAwait(false);
            await IgnoreNotFound(() => client.CoreV1.DeleteNodeAsync(node.Name, cancellationToken: ct)).ConfigureAwait(false);
            logger.LogInformation("Node {Node} deleted", node.Name);
        }
    }

    private async Task HeartbeatOnceAsync(CancellationToken ct)
    {
        foreach (var node in Nodes)
        {
            var live = await GetOrNullAsync(() => client.CoreV1.ReadNodeAsync(node.Name, cancellationToken: ct)).ConfigureAwait(false);
            var now = time.GetUtcNow();
            if (live is null)
            {
                live = await client.CoreV1.CreateNodeAsync(NewNode(node, now), cancellationToken: ct).ConfigureAwait(false);
                statusPostedAt[node.Name] = now;
                logger.LogInformation("Node {Node} registered (Ready, kubelet port {Port})", node.Name, KubeletPort);
            }
            else if (!statusPostedAt.TryGetValue(node.Name, out var at) || now - at >= StatusRefresh || !IsReady(live))
            {
                live.Status = NodeStatus(node, now, live.Status?.Conditions);
                await client.CoreV1.ReplaceNodeStatusAsync(live, node.Name, cancellationToken: ct).ConfigureAwait(false);
                statusPostedAt[node.Name] = now;
            }

            await RenewLeaseAsync(live, now, ct).ConfigureAwait(false);
        }
    }

    private async Task RenewLeaseAsync(V1Node node, DateTimeOffset now, CancellationToken ct)
    {
        var name = node.Metadata.Name;
        var lease = await GetOrNullAsync(() => client.CoordinationV1.ReadNamespacedLeaseAsync(name, LeaseNamespace, cancellationToken: ct)).ConfigureAwait(false);
        if (lease is null)
        {
            await client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
            {
                Metadata = new V1ObjectMeta
                {
                    Name = name,
                    NamespaceProperty = LeaseNamespace,
                    // As a kubelet does: the lease goes with its Node.
                    OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Node", Name = name, Uid = node.Metadata.Uid }],
                },
                Spec = new V1LeaseSpec
                {
                    HolderIdentity = name,
                    LeaseDurationSeconds = 40,
                    RenewTime = now.UtcDateTime,
                },
            }, LeaseNamespace, cancellationToken: ct).ConfigureAwait(false);
            return;
        }

        lease.Spec.RenewTime = now.UtcDateTime;
        await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, name, LeaseNamespace, cancellationToken: ct).ConfigureAwait(false);
    }

    /// <summary>Simulator Nodes whose lease stopped long ago belong to a simulator that died without cleaning up.</summary>
    private async Task DeleteStaleNodesAsync(CancellationToken ct)
    {
        var nodes = await client.CoreV1.ListNodeAsync(labelSelector: $"{NodeLabel}=true", cancellationToken: ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        foreach (var node in nodes.Items.Where(n => Nodes.All(o => o.Name != n.Metadata.Name)))
        {
            var lease = await GetOrNullAsync(() => client.CoordinationV1.ReadNamespacedLeaseAsync(node.Metadata.Name, LeaseNamespace, cancellationToken: ct)).ConfigureAwait(false);
            var last = lease?.Spec.RenewTime ?? node.Metadata.CreationTimestamp;
            if (last is { } l && now - new DateTimeOffset(DateTime.SpecifyKind(l, DateTimeKind.Utc)) > options.StaleNodeAge)
            {
                logger.LogInformation("Deleting stale simulated node {Node} (last heartbeat {Last:o})", node.Metadata.Name, l);
                await IgnoreNotFound(() => client.CoreV1.DeleteNodeAsync(node.Metadata.Name, cancellationToken: ct)).ConfigureAwait(false);
            }
        }
    }

    private static bool IsReady(V1Node node) =>
        node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static Dictionary<string, string> Labels(string name) => new()
    {
        ["kubernetes.io/hostname"] = name,
        ["kubernetes.io/os"] = "linux",
        ["kubernetes.io/arch"] = "amd64",
        ["type"] = "simulated",
        [NodeLabel] = "true",
    };

    private V1Node NewNode(SimNode node, DateTimeOffset now) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = node.Name,
            Labels = new Dictionary<string, string>(node.Labels),
            Annotations = new Dictionary<string, string> { ["node.alpha.kubernetes.io/ttl"] = "0" },
        },
        Spec = new V1NodeSpec { PodCIDR = node.PodCidrPrefix + ".0/24", PodCIDRs = [node.PodCidrPrefix + ".0/24"] },
        Status = NodeStatus(node, now, null),
    };

    private V1NodeStatus NodeStatus(SimNode node, DateTimeOffset now, IList<V1NodeCondition>? old)
    {
        var resources = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new("32"),
            ["memory"] = new("256Gi"),
            ["pods"] = new("110"),
            ["ephemeral-storage"] = new("1Ti"),
        };
        V1NodeCondition Condition(string type, bool status, string reason, string message)
        {
            var text = status ? "True" : "False";
            var previous = old?.FirstOrDefault(c => c.Type == type);
            var transition = previous?.Status == text ? previous.LastTransitionTime : now.UtcDateTime;
            return new V1NodeCondition
            {
                Type = type, Status = text, LastHeartbeatTime = now.UtcDateTime, LastTransitionTime = transition,
                Reason = reason, Message = message,
            };
        }

        return new V1NodeStatus
        {
            Capacity = resources,
            Allocatable = resources,
            Conditions =
            [
                Condition("MemoryPressure", false, "KubeletHasSufficientMemory", "simulated node has sufficient memory available"),
                Condition("DiskPressure", false, "KubeletHasNoDiskPressure", "simulated node has no disk pressure"),
                Condition("PIDPressure", false, "KubeletHasSufficientPID", "simulated node has sufficient PID available"),
                Condition("Ready", true, "KubeletReady", "gitops node simulator is posting ready status (no kubelet: nothing runs)"),
            ],
            // Only an InternalIP: the API server prefers a Hostname address, which would not resolve.
            Addresses = [new V1NodeAddress { Type = "InternalIP", Address = "127.0.0.1" }],
            DaemonEndpoints = new V1NodeDaemonEndpoints { KubeletEndpoint = new V1DaemonEndpoint { Port = KubeletPort } },
            NodeInfo = new V1NodeSystemInfo
            {
                Architecture = "amd64",
                BootID = node.Name,
                ContainerRuntimeVersion = "sim://0.1",
                KernelVersion = "simulated",
                KubeProxyVersion = "v1.20.2-sim",
                KubeletVersion = "v1.20.2-sim",
                MachineID = node.Name,
                OperatingSystem = "linux",
                OsImage = "gitops node simulator",
                SystemUUID = node.Name,
            },
        };
    }

    private static async Task<T?> GetOrNullAsync<T>(Func<Task<T>> get) where T : class
    {
        try
        {
            return await get().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static async Task IgnoreNotFound<T>(Func<Task<T>> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }
}
