using System.Text.Json.Nodes;

namespace GitOps.Rendering.Kustomize;

/// <summary>After all names changed (prefixes, suffixes, hashes, namespaces), rewrites every field that names
/// another object (a Deployment's ConfigMap volume, a RoleBinding's roleRef and subjects, a webhook's service…)
/// to that object's final name, choosing among candidates as kustomize's nameref filter does.</summary>
internal static class NameReferences
{
    public static void Fix(List<Resource> resources, IReadOnlyList<(string Kind, string? Group, List<FieldSpec> Referrers)> table)
    {
        foreach (var (kind, group, referrers) in table)
        {
            // Only objects that were renamed or moved can need a reference rewritten (kustomize's previous ids).
            var targets = resources.Where(r => r.Kind == kind && (string.IsNullOrEmpty(group) || r.Group == group) && r.History.Count > 1).ToList();
            if (targets.Count == 0)
            {
                continue;
            }

            foreach (var referrer in resources)
            {
                var reachable = Reachable(referrer, targets);
                foreach (var spec in referrers.Where(s => s.Applies(referrer)))
                {
                    var isRoleRef = spec.Path.EndsWith("roleRef/name", StringComparison.Ordinal);
                    FieldPath.Visit(referrer.Object, spec.Segments, false, (parent, key) => Update(parent, key, referrer, reachable, isRoleRef));
                }
            }
        }
    }

    /// <summary>kustomize's SubsetThatCouldBeReferencedByResource: same namespace, cluster-scoped, or (for a
    /// binding) a namespace its subjects name.</summary>
    private static List<Resource> Reachable(Resource referrer, List<Resource> targets)
    {
        if (Gvk.IsClusterScoped(referrer))
        {
            return targets;
        }

        var subjectNamespaces = referrer.Kind is "RoleBinding" or "ClusterRoleBinding" && referrer.Object["subjects"] is JsonArray subjects
            ? subjects.OfType<JsonObject>().Where(s => Scalars.Str(s["kind"]) == "ServiceAccount").Select(s => Scalars.Str(s["namespace"]) ?? "").ToHashSet(StringComparer.Ordinal)
            : [];
        return [.. targets.Where(t => Gvk.IsClusterScoped(t) || Resource.SameNamespace(t.Namespace, referrer.Namespace) || subjectNamespaces.Contains(t.Namespace))];
    }

    private static void Update(JsonObject parent, string key, Resource referrer, List<Resource> targets, bool isRoleRef)
    {
        switch (parent[key])
        {
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String:
                var roleRef = isRoleRef ? (Scalars.Str(parent["apiGroup"]), Scalars.Str(parent["kind"])) : default;
                if (Select(v.GetValue<string>(), targets, referrer, roleRef, withNamespace: false) is { } found && found.Name != v.GetValue<string>())
                {
                    parent[key] = found.Name;
                }

                break;
            case JsonObject map:
                SetMapping(map, referrer, targets);
                break;
            case JsonArray items:
                // Role rules' resourceNames are rewritten whatever the rule's `resources` say (kustomize does not
                // look: a ConfigMap's new name lands in a rule about leases or secrets too; kubectl-checked).
                for (var i = 0; i < items.Count; i++)
                {
                    if (items[i] is JsonObject item)
                    {
                        SetMapping(item, referrer, targets);
                    }
                    else if (items[i] is JsonValue n && n.GetValueKind() == System.Text.Json.JsonValueKind.String
                        && Select(n.GetValue<string>(), targets, referrer, default, withNamespace: false) is { } hit)
                    {
                        items[i] = hit.Name;
                    }
                }

                break;
        }
    }

    /// <summary>A {name, namespace} reference (a binding subject, a webhook service): candidates are narrowed by
    /// the namespace it names (original, else current); both name and namespace are written back.</summary>
    private static void SetMapping(JsonObject map, Resource referrer, List<Resource> targets)
    {
        if (Scalars.Str(map["name"]) is not { } oldName)
        {
            return;
        }

        var candidates = targets;
        if (map.ContainsKey("namespace"))
        {
            var ns = Scalars.Str(map["namespace"]) ?? "";
            var byOriginal = targets.Where(t => Resource.SameNamespace(t.OriginalNamespace, ns)).ToList();
            candidates = byOriginal.Count > 0 ? byOriginal : [.. targets.Where(t => Resource.SameNamespace(t.Namespace, ns))];
        }

        var referral = Select(oldName, candidates, referrer, default, withNamespace: true);
        if (referral is null || (referral.Name == oldName && referral.Namespace.Length == 0))
        {
            return;
        }

        map["name"] = referral.Name;
        if (referral.Namespace.Length > 0)
        {
            map["namespace"] = referral.Namespace;
        }
    }

    /// <summary>kustomize's selectReferral: earlier name, the roleRef's kind, reachable namespace, then the
    /// referrer's own prefixes/suffixes (loosely, then exactly).</summary>
    private static Resource? Select(string name, List<Resource> targets, Resource referrer, (string? Group, string? Kind) roleRef, bool withNamespace)
    {
        var candidates = targets.Where(t => t.History.Take(t.History.Count - 1).Any(h => h.Name == name)).ToList();
        if (roleRef.Kind is not null)
        {
            candidates = [.. candidates.Where(c => c.Kind == roleRef.Kind && (roleRef.Group is null || c.Group == roleRef.Group))];
        }

        if (!Gvk.IsClusterScoped(referrer))
        {
            candidates = [.. candidates.Where(c => Gvk.IsClusterScoped(c) || c.Kind == "ServiceAccount" || Resource.SameNamespace(c.Namespace, referrer.Namespace))];
        }

        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        candidates = [.. candidates.Where(c => AffixesEqual(c, referrer, allowEmpty: true))];
        if (candidates.Count > 1)
        {
            candidates = [.. candidates.Where(c => AffixesEqual(c, referrer, allowEmpty: false))];
        }

        if (candidates.Count <= 1)
        {
            return candidates.FirstOrDefault();
        }

        if (candidates.All(c => c.Name == candidates[0].Name && (!withNamespace || c.Namespace == candidates[0].Namespace)))
        {
            return candidates[0];
        }

        throw new RenderException($"found multiple possible referrals for {referrer.Kind} {referrer.Name}: {string.Join(", ", candidates)}", referrer.Source);
    }

    private static bool AffixesEqual(Resource a, Resource b, bool allowEmpty) =>
        ((allowEmpty && (a.Prefixes.Count == 0 || b.Prefixes.Count == 0)) || SameEnding(a.Prefixes, b.Prefixes))
        && ((allowEmpty && (a.Suffixes.Count == 0 || b.Suffixes.Count == 0)) || SameEnding(a.Suffixes, b.Suffixes));

    private static bool SameEnding(List<string> x, List<string> y)
    {
        var (shortest, longest) = x.Count <= y.Count ? (x, y) : (y, x);
        if (shortest.Count == 0)
        {
            return longest.Count == 0;
        }

        var diff = longest.Count - shortest.Count;
        return shortest.Select((s, i) => longest[i + diff] == s).All(b => b);
    }
}
