using System.Text.Json.Nodes;

namespace GitOps.Rendering.Kustomize;

/// <summary>After all names changed (prefixes, suffixes, hashes), rewrites every field that names another object
/// (a Deployment's ConfigMap volume, a RoleBinding's roleRef, an Ingress backend…) to that object's final name.</summary>
internal static class NameReferences
{
    public static void Fix(List<Resource> resources, IReadOnlyList<(string Kind, string? Group, List<FieldSpec> Referrers)> table)
    {
        foreach (var (kind, group, referrers) in table)
        {
            var targets = resources.Where(r => r.Kind == kind && (group is null || r.Group == group)).ToList();
            if (targets.Count == 0)
            {
                continue;
            }

            foreach (var referrer in resources)
            {
                foreach (var spec in referrers.Where(s => s.Applies(referrer)))
                {
                    FieldPath.Visit(referrer.Object, spec.Segments, false, (parent, key) => Update(parent, key, referrer, targets, kind));
                }
            }
        }
    }

    private static void Update(JsonObject parent, string key, Resource referrer, List<Resource> targets, string kind)
    {
        var value = parent[key];
        switch (value)
        {
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String:
                if (Find(v.GetValue<string>(), referrer.Namespace, referrer, targets) is { } found)
                {
                    parent[key] = found.Name;
                }

                break;
            case JsonArray list when key == "subjects":
                foreach (var subject in list.OfType<JsonObject>().Where(s => Scalars.Str(s["kind"]) == kind))
                {
                    var ns = Scalars.Str(subject["namespace"]) ?? referrer.Namespace;
                    if (Scalars.Str(subject["name"]) is { } name && Find(name, ns, referrer, targets) is { } sa)
                    {
                        subject["name"] = sa.Name;
                        if (subject["namespace"] is not null && sa.Namespace.Length > 0)
                        {
                            subject["namespace"] = sa.Namespace;
                        }
                    }
                }

                break;
            case JsonArray names:
                if (key == "resourceNames" && !RuleCovers(parent, kind))
                {
                    return;
                }

                for (var i = 0; i < names.Count; i++)
                {
                    if (names[i] is JsonValue n && n.GetValueKind() == System.Text.Json.JsonValueKind.String
                        && Find(n.GetValue<string>(), referrer.Namespace, referrer, targets) is { } hit)
                    {
                        names[i] = hit.Name;
                    }
                }

                break;
            case JsonObject service when key == "service":
                var svcNs = Scalars.Str(service["namespace"]) ?? referrer.Namespace;
                if (Scalars.Str(service["name"]) is { } svcName && Find(svcName, svcNs, referrer, targets) is { } svc)
                {
                    service["name"] = svc.Name;
                    if (service["namespace"] is not null && svc.Namespace.Length > 0)
                    {
                        service["namespace"] = svc.Namespace;
                    }
                }

                break;
        }
    }

    private static bool RuleCovers(JsonObject rule, string kind)
    {
        var plural = kind.ToLowerInvariant() + "s";
        return rule["resources"] is JsonArray resources && resources.Any(r => r?.ToString() is var s && (s == plural || s == "*"));
    }

    private static Resource? Find(string name, string ns, Resource referrer, List<Resource> targets)
    {
        var candidates = targets.Where(t => t.HadName(name)).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var clusterScopedReferrer = Gvk.IsClusterScoped(referrer.Kind);
        var sameNs = candidates.Where(c => Gvk.IsClusterScoped(c.Kind) || Resource.SameNamespace(c.Namespace, ns) || c.HadNamespace(ns)).ToList();
        if (sameNs.Count > 0 || !clusterScopedReferrer)
        {
            candidates = sameNs;
        }

        if (candidates.Count > 1)
        {
            var current = candidates.Where(c => c.Name == name && Resource.SameNamespace(c.Namespace, ns)).ToList();
            var lineage = candidates.Where(c => c.Prefixes.SequenceEqual(referrer.Prefixes) && c.Suffixes.SequenceEqual(referrer.Suffixes)).ToList();
            candidates = lineage.Count > 0 ? lineage : current.Count > 0 ? current : candidates;
        }

        if (candidates.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            throw new RenderException($"found multiple possible referrals for {referrer.Kind} {referrer.Name}: {string.Join(", ", candidates)}", referrer.Source);
        }

        return candidates.FirstOrDefault();
    }
}
