using System.Text.RegularExpressions;
using GitOps.Templating.Serialization;

namespace GitOps.Rendering.Helm.Chart;

/// <summary>One rendered YAML document with the head Helm sorts on.</summary>
internal sealed record RenderedManifest(string Source, string Content, string Kind, string Name, bool IsHook, bool IsTest, object? Parsed);

/// <summary>Splitting rendered files into documents and ordering them as Helm's releaseutil does.</summary>
internal static partial class Manifests
{
    /// <summary>Helm's InstallOrder; unknown kinds go last, alphabetically by kind.</summary>
    private static readonly string[] InstallOrder =
    [
        "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget",
        "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
        "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role",
        "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet",
        "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
        "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    ];

    private static readonly Dictionary<string, int> Order = InstallOrder.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i, StringComparer.Ordinal);

    [GeneratedRegex(@"(?:^|\s*\n)---\s*")]
    private static partial Regex Separator();

    /// <summary>SplitManifests: documents of one file, empty ones dropped, in order.</summary>
    public static IEnumerable<string> Split(string content)
    {
        foreach (var part in Separator().Split(content.Trim()))
        {
            var doc = part.Trim();
            if (doc.Length == 0) continue;
            yield return doc;
        }
    }

    public static RenderedManifest Head(string source, string content)
    {
        object? doc;
        try
        {
            doc = GoYamlReader.Read(content, numbersAsFloat: false);
        }
        catch (YamlReadException e)
        {
            throw new RenderException($"YAML parse error on {source}: error converting YAML to JSON: {e.Message}", source, e.Line, e.Column);
        }
        var map = doc as Dictionary<string, object?>;
        var kind = map?.GetValueOrDefault("kind") as string ?? "";
        var meta = map?.GetValueOrDefault("metadata") as Dictionary<string, object?>;
        var name = meta?.GetValueOrDefault("name") as string ?? "";
        var hook = (meta?.GetValueOrDefault("annotations") as Dictionary<string, object?>)?.GetValueOrDefault("helm.sh/hook") as string;
        var isTest = hook is not null && hook.Split(',').Any(h => h.Trim() is "test" or "test-success");
        return new RenderedManifest(source, content, kind, name, hook is not null, isTest, doc);
    }

    /// <summary>Stable sort by install order of kind (files were visited in path order).</summary>
    public static List<RenderedManifest> SortByKind(IEnumerable<RenderedManifest> manifests)
    {
        var list = manifests.ToList();
        return list.Select((m, i) => (m, i)).OrderBy(x => x.m, Comparer<RenderedManifest>.Create(Compare)).ThenBy(x => x.i).Select(x => x.m).ToList();
    }

    private static int Compare(RenderedManifest a, RenderedManifest b)
    {
        var ka = Order.TryGetValue(a.Kind, out var ia);
        var kb = Order.TryGetValue(b.Kind, out var ib);
        if (!ka && !kb) return string.CompareOrdinal(a.Kind, b.Kind);
        if (!ka) return 1;
        if (!kb) return -1;
        return ia.CompareTo(ib);
    }
}
