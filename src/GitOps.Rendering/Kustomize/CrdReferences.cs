using System.Text.Json.Nodes;

namespace GitOps.Rendering.Kustomize;

/// <summary>
/// The `crds:` field: OpenAPI definitions (a map of "package/path.TypeName" → {Schema, …}) whose properties may
/// mark object references with `x-kubernetes-object-ref-kind` / `-api-version` (and `-name-key`, default
/// "name"). Kustomize turns each mark into a name reference, so a namePrefix or nameSuffix reaches the
/// custom resource's field that names, say, a Secret. Types are those whose properties hold kind, apiVersion and
/// metadata; the kind is the type name's last dotted segment; nested types are followed through `$ref`.
/// </summary>
internal static class CrdReferences
{
    private const string RefKind = "x-kubernetes-object-ref-kind";
    private const string RefVersion = "x-kubernetes-object-ref-api-version";
    private const string RefNameKey = "x-kubernetes-object-ref-name-key";

    // References between definitions can form cycles; real schemas are far shallower than this.
    private const int MaxDepth = 32;

    public static IEnumerable<(string Kind, List<FieldSpec> Referrers)> NameReferences(JsonObject definitions)
    {
        foreach (var (typeName, definition) in definitions)
        {
            if (Properties(definition) is not { } properties
                || !properties.ContainsKey("kind") || !properties.ContainsKey("apiVersion") || !properties.ContainsKey("metadata"))
            {
                continue;
            }

            var kind = typeName[(typeName.LastIndexOf('.') + 1)..];
            foreach (var reference in Walk(definitions, typeName, kind, [], 0))
            {
                yield return reference;
            }
        }
    }

    private static IEnumerable<(string Kind, List<FieldSpec> Referrers)> Walk(JsonObject definitions, string typeName,
        string kind, List<string> path, int depth)
    {
        if (depth > MaxDepth || Properties(definitions[typeName]) is not { } properties)
        {
            yield break;
        }

        foreach (var (name, node) in properties)
        {
            if (node is not JsonObject property)
            {
                continue;
            }

            List<string> here = [.. path, name];
            if (Scalars.Str(property[RefVersion]) is not null && Scalars.Str(property[RefKind]) is { } refKind)
            {
                var nameKey = Scalars.Str(property[RefNameKey]) ?? "name";
                yield return (refKind, [new FieldSpec(string.Join('/', [.. here, nameKey]), kind)]);
            }

            if (Scalars.Str(property["$ref"]) is { } target)
            {
                foreach (var nested in Walk(definitions, target, kind, here, depth + 1))
                {
                    yield return nested;
                }
            }
        }
    }

    private static JsonObject? Properties(JsonNode? definition) =>
        definition?["Schema"]?["properties"] as JsonObject ?? definition?["schema"]?["properties"] as JsonObject;
}
