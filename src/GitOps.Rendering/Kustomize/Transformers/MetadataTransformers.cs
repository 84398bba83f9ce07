using System.Text.Json.Nodes;

namespace GitOps.Rendering.Kustomize.Transformers;

/// <summary>namespace, namePrefix/nameSuffix, labels and annotations.</summary>
internal static class MetadataTransformers
{
    public static void SetNamespace(IEnumerable<Resource> resources, string ns, IReadOnlyList<FieldSpec> extra)
    {
        foreach (var r in resources)
        {
            if (!Gvk.IsClusterScoped(r.Kind))
            {
                r.SetNamespace(ns);
            }

            if (r.Kind is "RoleBinding" or "ClusterRoleBinding" && r.Object["subjects"] is JsonArray subjects)
            {
                // kustomize moves ServiceAccount subjects that were in the default namespace (or none) along.
                foreach (var s in subjects.OfType<JsonObject>())
                {
                    if (Scalars.Str(s["kind"]) == "ServiceAccount" && (Scalars.Str(s["namespace"]) is null or "" or "default"))
                    {
                        s["namespace"] = ns;
                    }
                }
            }

            if (r.Kind is "ValidatingWebhookConfiguration" or "MutatingWebhookConfiguration" && r.Object["webhooks"] is JsonArray hooks)
            {
                foreach (var svc in hooks.Select(h => h?["clientConfig"]?["service"]).OfType<JsonObject>())
                {
                    svc["namespace"] = ns;
                }
            }

            if (r.Kind == "APIService" && r.Object["spec"]?["service"] is JsonObject apiSvc)
            {
                apiSvc["namespace"] = ns;
            }

            if (r.Kind == "CustomResourceDefinition" && r.Object["spec"]?["conversion"]?["webhook"]?["clientConfig"]?["service"] is JsonObject crdSvc)
            {
                crdSvc["namespace"] = ns;
            }

            foreach (var spec in extra.Where(s => s.Applies(r)))
            {
                FieldPath.Visit(r.Object, spec.Segments, spec.Create, (parent, key) => parent[key] = ns);
            }
        }
    }

    private static readonly HashSet<string> NoPrefixKinds = ["CustomResourceDefinition", "APIService", "Namespace"];

    public static void AddPrefixSuffix(IEnumerable<Resource> resources, string prefix, string suffix)
    {
        foreach (var r in resources)
        {
            if (NoPrefixKinds.Contains(r.Kind))
            {
                continue;
            }

            r.SetName(prefix + r.Name + suffix);
            if (prefix.Length > 0)
            {
                r.Prefixes.Add(prefix);
            }

            if (suffix.Length > 0)
            {
                r.Suffixes.Add(suffix);
            }
        }
    }

    /// <summary>Sets string entries in the maps the field specs reach (labels, selectors, annotations).</summary>
    public static void SetMapEntries(IEnumerable<Resource> resources, IReadOnlyList<(string Key, string Value)> entries,
        IReadOnlyList<FieldSpec> specs)
    {
        if (entries.Count == 0)
        {
            return;
        }

        foreach (var r in resources)
        {
            foreach (var spec in specs.Where(s => s.Applies(r)))
            {
                FieldPath.Visit(r.Object, spec.Segments, spec.Create, (parent, key) =>
                {
                    if (parent[key] is not JsonObject map)
                    {
                        if (parent[key] is not null)
                        {
                            return;
                        }

                        map = [];
                        parent[key] = map;
                    }

                    foreach (var (k, v) in entries)
                    {
                        map[k] = v;
                    }
                });
            }
        }
    }

    public static List<(string, string)> Pairs(JsonNode? node) =>
        node is JsonObject o ? [.. o.Select(p => (p.Key, Scalars.ToText(p.Value)))] : [];
}
