namespace GitOps.Engine.Sync;

/// <summary>Apply order within a wave: CRDs, Namespaces, then Helm's install order, unknown kinds, webhooks last.</summary>
internal static class SyncOrder
{
    private static readonly string[] Kinds =
    [
        "CustomResourceDefinition", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
        "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass",
        "PersistentVolume", "PersistentVolumeClaim", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
        "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod",
        "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job",
        "CronJob", "IngressClass", "Ingress", "APIService",
    ];

    private static readonly string[] Last = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

    public static int KindRank(string kind)
    {
        var i = Array.IndexOf(Kinds, kind);
        if (i >= 0)
        {
            return i;
        }

        var last = Array.IndexOf(Last, kind);
        return last >= 0 ? Kinds.Length + 1 + last : Kinds.Length;
    }

    /// <summary>Sort key: wave, kind rank, namespace, name.</summary>
    public static (int Wave, int Rank, string Ns, string Name) Key(int wave, ResourceKey key) =>
        (wave, KindRank(key.Kind), key.Namespace ?? "", key.Name);

    public static IComparer<(int Wave, int Rank, string Ns, string Name)> Comparer { get; } =
        Comparer<(int Wave, int Rank, string Ns, string Name)>.Create((a, b) =>
        {
            var c = a.Wave.CompareTo(b.Wave);
            c = c != 0 ? c : a.Rank.CompareTo(b.Rank);
            c = c != 0 ? c : string.CompareOrdinal(a.Ns, b.Ns);
            return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
        });
}
