using System.Text.Json.Nodes;

namespace GitOps.Rendering.Kustomize.Transformers;

/// <summary>The map-setting step the label and annotation transformers share.</summary>
internal static class MetadataTransformers
{
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
