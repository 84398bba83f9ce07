namespace GitOps.Rendering.Kustomize;

/// <summary>kubectl kustomize's default output order: Namespaces, CRDs, RBAC, ConfigMaps… first, webhooks last,
/// then by group/version/kind and namespace/name.</summary>
internal static class LegacySort
{
    private static readonly string[] DefaultFirst =
    [
        "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount", "PodSecurityPolicy",
        "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints", "Service",
        "LimitRange", "PriorityClass", "PersistentVolume", "PersistentVolumeClaim", "Deployment", "StatefulSet",
        "CronJob", "PodDisruptionBudget",
    ];

    private static readonly string[] DefaultLast = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

    public static List<Resource> Sort(IEnumerable<Resource> resources, IReadOnlyList<string>? first = null, IReadOnlyList<string>? last = null)
    {
        first ??= DefaultFirst;
        last ??= DefaultLast;
        int Order(string kind)
        {
            var i = IndexOf(first, kind);
            if (i >= 0)
            {
                return i - first.Count;
            }

            var j = IndexOf(last, kind);
            return j >= 0 ? j + 1 : 0;
        }

        static string GvkString(Resource r) =>
            $"{(r.Group.Length == 0 ? "~G" : r.Group)}_{(r.Version.Length == 0 ? "~V" : r.Version)}_{(r.Kind.Length == 0 ? "~K" : r.Kind)}";

        return [.. resources
            .OrderBy(r => Order(r.Kind))
            .ThenBy(GvkString, StringComparer.Ordinal)
            .ThenBy(r => r.Namespace.Length == 0 ? "~X" : r.Namespace, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal)];
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return -1;
    }
}
