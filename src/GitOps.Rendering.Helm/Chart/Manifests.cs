using System.Text.RegularExpressions;
using GitOps.Templating.Serialization;

namespace GitOps.Rendering.Helm.Chart;

/// <summary>How Helm classifies a document by its helm.sh/hook annotation.</summary>
internal enum HookKind
{
    None,
    Hook,
    Test,
    /// <summary>An annotation naming an event Helm does not know: Helm skips the document entirely.</summary>
    Unknown,
}

/// <summary>One rendered YAML document with the head Helm sorts on.</summary>
internal sealed record RenderedManifest(string Source, string Content, string Kind, string Name, HookKind Hook, object? Parsed);

/// <summary>Splitting rendered files into documents and ordering them as Helm's releaseutil does.</summary>
internal static partial class Manifests
{
    /// <summary>Helm's InstallOrder; unknown kinds go last, alphabetically by kind. Helm 4 appends the two webhook
    /// configuration kinds, which Helm 3 sorts as unknown.</summary>
    private static readonly string[] InstallOrder =
    [
        "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget",
        "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
        "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role",
        "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet",
        "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
        "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    ];

    private static readonly Dictionary<string, int> Helm4Order = InstallOrder.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i, StringComparer.Ordinal);

    private static readonly Dictionary<string, int> Helm3Order = Helm4Order.Where(kv => !kv.Key.EndsWith("WebhookConfiguration", StringComparison.Ordinal))
        .ToDictionary(StringComparer.Ordinal);

    [GeneratedRegex(@"(?:^|\s*\n)---\s*")]
    private static partial Regex Separator();

    [GeneratedRegex(@"^---[ \t]*", RegexOptions.Multiline)]
    private static partial Regex LineSeparator();

    /// <summary>SplitManifests: documents of one file, empty ones dropped, in order. Helm 3 (and 4.0/4.1) trims each
    /// document; Helm 4.2 splits only at "---" starting a line and keeps what ends a document (helm/helm#31952), so a
    /// template's final newline shows as a blank line before the next "---".</summary>
    public static IEnumerable<string> Split(string content, HelmCompatibility helm = HelmCompatibility.Helm3)
    {
        if (helm == HelmCompatibility.Helm42)
        {
            foreach (var part in LineSeparator().Split(content.TrimStart()))
            {
                if (part.Trim().Length == 0) continue;
                yield return part.TrimStart();
            }
            yield break;
        }
        foreach (var part in Separator().Split(content.Trim()))
        {
            var doc = part.Trim();
            if (doc.Length == 0) continue;
            yield return doc;
        }
    }

    /// <summary>release.HookEvent values (Helm 3/4); "test-success" is the Helm 2 spelling of "test".</summary>
    private static readonly HashSet<string> HookEvents = new(StringComparer.Ordinal)
    {
        "pre-install", "post-install", "pre-delete", "post-delete", "pre-upgrade", "post-upgrade", "pre-rollback", "post-rollback",
        "test", "test-success",
    };

    public static RenderedManifest Head(string source, string content)
    {
        object? doc;
        try
        {
            // The document as it stands in the printed stream, where a line break always follows it: a block scalar
            // ending the document keeps its final newline, as for whoever reads `helm template` output.
            doc = GoYamlReader.Read(content + "\n", numbersAsFloat: false);
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
        return new RenderedManifest(source, content, kind, name, Classify(hook), doc);
    }

    private static HookKind Classify(string? annotation)
    {
        if (annotation is null) return HookKind.None;
        var events = annotation.Split(',').Select(h => h.Trim().ToLowerInvariant()).ToList();
        if (!events.All(HookEvents.Contains)) return HookKind.Unknown;
        return events.Any(e => e is "test" or "test-success") ? HookKind.Test : HookKind.Hook;
    }

    /// <summary>Stable sort by install order of kind (files were visited in path order).</summary>
    public static List<RenderedManifest> SortByKind(IEnumerable<RenderedManifest> manifests, HelmCompatibility helm)
    {
        var order = helm == HelmCompatibility.Helm3 ? Helm3Order : Helm4Order;
        var list = manifests.ToList();
        return list.Select((m, i) => (m, i)).OrderBy(x => x.m, Comparer<RenderedManifest>.Create((a, b) => Compare(order, a, b))).ThenBy(x => x.i).Select(x => x.m).ToList();
    }

    private static int Compare(Dictionary<string, int> order, RenderedManifest a, RenderedManifest b)
    {
        var ka = order.TryGetValue(a.Kind, out var ia);
        var kb = order.TryGetValue(b.Kind, out var ib);
        if (!ka && !kb) return string.CompareOrdinal(a.Kind, b.Kind);
        if (!ka) return 1;
        if (!kb) return -1;
        return ia.CompareTo(ib);
    }
}
