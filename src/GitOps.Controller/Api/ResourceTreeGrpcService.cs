using System.Text.Json.Nodes;
using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Engine;
using GitOps.Engine.Health;
using GitOps.Rendering.Yaml;
using Grpc.Core;
using k8s;
using EngineHealth = GitOps.Engine.HealthState;
using V1 = GitOps.Api.V1;

namespace GitOps.Controller.Api;

/// <summary>
/// gitops.v1.ResourceService: the app's tracked objects (from its status) and what they own, read from the cluster
/// at call time by ownerReferences, and any one of them as live YAML (through the engine, Secret values masked).
/// Only the app's own objects and their descendants are returned, so a token scoped to one app learns nothing else
/// about its namespaces. Children's health follows the engine's rules.
/// </summary>
internal sealed class ResourceTreeGrpcService(ApplicationRegistry registry, IStateStore store, IKubernetes client, IClusterEngine engine,
    ResourceTreeChanges changes, IHostApplicationLifetime host) : V1.ResourceService.ResourceServiceBase
{
    private static readonly HashSet<string> PodOwners = ["ReplicaSet", "StatefulSet", "DaemonSet", "Job"];

    public override Task<V1.ResourceTreeResponse> ResourceTree(V1.AppRef request, ServerCallContext context) =>
        BuildAsync(request.Name, context);

    /// <summary>The tree, then the tree again whenever a rebuild after a change differs from what was sent last.</summary>
    public override async Task WatchResourceTree(V1.AppRef request, IServerStreamWriter<V1.ResourceTreeResponse> responseStream,
        ServerCallContext context)
    {
        using var lifetime = ServerStreams.Lifetime(context, host);
        var ct = lifetime.Token;
        var tree = await BuildAsync(request.Name, context); // checks the token's scope first
        var subscription = changes.Follow(request.Name, ct);
        subscription.WatchNamespaces(Namespaces(tree));
        await responseStream.WriteAsync(tree, ct);
        try
        {
            await foreach (var _ in subscription.Changed.ReadAllAsync(ct))
            {
                var next = await BuildAsync(request.Name, context);
                subscription.WatchNamespaces(Namespaces(next));
                if (!next.Equals(tree))
                {
                    tree = next;
                    await responseStream.WriteAsync(tree, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private static IEnumerable<string> Namespaces(V1.ResourceTreeResponse tree) =>
        tree.Nodes.Where(n => n.Tracked && n.Namespace.Length > 0).Select(n => n.Namespace).Distinct();

    public override async Task<V1.LiveObjectResponse> LiveObject(V1.LiveObjectRequest request, ServerCallContext context)
    {
        var tree = await BuildAsync(request.Name, context);
        var node = tree.Nodes.FirstOrDefault(n => n.Key == request.Key)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"application '{request.Name}' has no object '{request.Key}'"));
        var apiVersion = node.Group.Length > 0 ? $"{node.Group}/{node.Version}" : node.Version;
        var live = await engine.GetLiveAsync(apiVersion, node.Kind, node.Namespace, node.Name, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"{node.Kind} {node.Name} does not exist in the cluster"));
        return new V1.LiveObjectResponse { Yaml = ManifestYaml.WriteNode(live) };
    }

    private async Task<V1.ResourceTreeResponse> BuildAsync(string name, ServerCallContext context)
    {
        var grant = context.UserState.TryGetValue(TokenAuthInterceptor.GrantKey, out var value) && value is ApiGrant g
            ? g
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "not authenticated"));
        if (registry.Find(name) is not { } app || !grant.CanSee(app))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"application '{name}' not found"));
        }

        var ct = context.CancellationToken;
        var status = await store.GetAsync(name, ct);
        var tree = new V1.ResourceTreeResponse();
        // Owner (kind, namespace, name) → the node's key; a child joins the tree only under an owner already in it.
        var owners = new Dictionary<(string Kind, string Namespace, string Name), string>();
        foreach (var r in status.Resources)
        {
            tree.Nodes.Add(new V1.ResourceNode
            {
                Key = r.Key, Group = r.Group, Version = r.Version, Kind = r.Kind, Namespace = r.Namespace, Name = r.Name,
                Tracked = true, Status = ProtoMapping.ToProto(r.Status), Health = ProtoMapping.ToProto(r.Health), Message = r.Message,
            });
            if (!r.Missing)
            {
                owners[(r.Kind, r.Namespace, r.Name)] = r.Key;
            }
        }

        foreach (var ns in status.Resources.Where(r => !r.Missing && r.Namespace.Length > 0).Select(r => r.Namespace).Distinct())
        {
            var kinds = status.Resources.Where(r => r.Namespace == ns).Select(r => r.Kind).ToHashSet();
            // Parents before children: CronJob → Job, Deployment → ReplicaSet, then Pods of all of them.
            if (kinds.Contains("CronJob"))
            {
                var jobs = await client.BatchV1.ListNamespacedJobAsync(ns, cancellationToken: ct);
                AddChildren(tree, owners, jobs.Items, "batch", "v1", "Job");
            }

            if (kinds.Contains("Deployment"))
            {
                var sets = await client.AppsV1.ListNamespacedReplicaSetAsync(ns, cancellationToken: ct);
                // Old ReplicaSets scaled to zero are history, not part of what runs.
                AddChildren(tree, owners, sets.Items.Where(s => (s.Spec?.Replicas ?? 0) > 0 || (s.Status?.Replicas ?? 0) > 0), "apps", "v1", "ReplicaSet");
            }

            if (owners.Keys.Any(o => o.Namespace == ns && PodOwners.Contains(o.Kind)))
            {
                var pods = await client.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: ct);
                AddChildren(tree, owners, pods.Items, "", "v1", "Pod");
            }
        }

        return tree;
    }

    private static void AddChildren<T>(V1.ResourceTreeResponse tree, Dictionary<(string, string, string), string> owners,
        IEnumerable<T> items, string group, string version, string kind)
        where T : IKubernetesObject<k8s.Models.V1ObjectMeta>
    {
        foreach (var item in items)
        {
            var meta = item.Metadata;
            var ns = meta.NamespaceProperty ?? "";
            var owner = meta.OwnerReferences?.FirstOrDefault(o => o.Controller == true) ?? meta.OwnerReferences?.FirstOrDefault();
            if (owner is null || !owners.TryGetValue((owner.Kind, ns, owner.Name), out var parent))
            {
                continue;
            }

            var key = $"{group}/{kind}/{ns}/{meta.Name}";
            // List items carry no apiVersion/kind, and the health rules go by them.
            var live = JsonNode.Parse(KubernetesJson.Serialize(item))!.AsObject();
            live["apiVersion"] = group.Length > 0 ? $"{group}/{version}" : version;
            live["kind"] = kind;
            var health = ObjectHealth.Of(live);
            tree.Nodes.Add(new V1.ResourceNode
            {
                Key = key, Group = group, Version = version, Kind = kind, Namespace = ns, Name = meta.Name,
                ParentKey = parent, Health = ToProto(health.State), Message = health.Message ?? "",
            });
            owners.TryAdd((kind, ns, meta.Name), key);
        }
    }

    private static V1.HealthStatus ToProto(EngineHealth health) => health switch
    {
        EngineHealth.Healthy => V1.HealthStatus.Healthy,
        EngineHealth.Progressing => V1.HealthStatus.Progressing,
        EngineHealth.Degraded => V1.HealthStatus.Degraded,
        EngineHealth.Suspended => V1.HealthStatus.Suspended,
        EngineHealth.Missing => V1.HealthStatus.Missing,
        _ => V1.HealthStatus.Unknown,
    };
}
