using GitOps.Engine.Cache;
using GitOps.Engine.Cluster;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Engine.Tests.Support;

/// <summary>The resource type the cache tests use, and an informer that tests write to without a server.</summary>
internal static class Informers
{
    public static readonly ResourceType ConfigMaps = new("", "v1", "ConfigMap", "configmaps", Namespaced: true, Watchable: true);

    /// <summary>An informer whose API server is never contacted: tests only write to it.</summary>
    public static Informer Offline(ResourceType type) => new(
        new KubeApi(new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:9" }), TimeProvider.System), type,
        (_, _, _) => { }, TimeProvider.System, NullLogger.Instance);
}
