using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Rendering.Yaml;

/// <summary>Reads and writes manifests as multi-document YAML.</summary>
public static class ManifestYaml
{
    /// <summary>Writes the manifests as `---`-separated YAML documents, keys in the objects' own order.</summary>
    public static string Write(IEnumerable<Manifest> manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        var sb = new StringBuilder();
        var first = true;
        foreach (var manifest in manifests)
        {
            if (!first)
            {
                sb.Append("---\n");
            }

            first = false;
            KyamlWriter.WriteDocument(sb, manifest.Object);
        }

        return sb.ToString();
    }

    /// <summary>Writes one value (object, array or scalar) as a YAML document.</summary>
    public static string WriteNode(JsonNode? node)
    {
        var sb = new StringBuilder();
        KyamlWriter.WriteDocument(sb, node);
        return sb.ToString();
    }

    /// <summary>Parses every document of a YAML (or JSON) stream; empty documents come back with a null root.</summary>
    /// <exception cref="RenderException">Invalid YAML, with <paramref name="file"/>, line and column.</exception>
    public static IReadOnlyList<YamlDocument> Parse(string text, string? file = null,
        YamlSchema schema = YamlSchema.Kubernetes, YamlLimits? limits = null) =>
        ManifestYamlReader.Read(text ?? throw new ArgumentNullException(nameof(text)), schema, limits, file);

    /// <summary>Parses a stream of Kubernetes objects: empty documents skipped, `List` kinds expanded, every
    /// object must be a mapping with apiVersion and kind.</summary>
    /// <param name="apiVersionOptional">Accept objects with a kind but no apiVersion, as Kustomize does with its
    /// resources (applying such an object fails later, with its name).</param>
    public static IReadOnlyList<Manifest> ParseManifests(string text, string? file = null,
        YamlSchema schema = YamlSchema.Kubernetes, YamlLimits? limits = null, bool apiVersionOptional = false)
    {
        var result = new List<Manifest>();
        foreach (var doc in Parse(text, file, schema, limits))
        {
            if (doc.Root is null)
            {
                continue;
            }

            if (doc.Root is not JsonObject obj)
            {
                throw new RenderException("document is not a mapping (a Kubernetes object)", file, doc.Line);
            }

            if (obj.Count == 0)
            {
                continue;
            }

            AddObject(result, obj, file, doc.Line, apiVersionOptional);
        }

        return result;
    }

    private static void AddObject(List<Manifest> result, JsonObject obj, string? file, int line, bool apiVersionOptional)
    {
        var kind = obj["kind"] is JsonValue k && k.TryGetValue<string>(out var ks) ? ks : null;
        var apiVersion = obj["apiVersion"] is JsonValue a && a.TryGetValue<string>(out var avs) ? avs : null;
        if (kind is not null && kind.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items)
        {
            // kubectl expands v1 List (and *List kinds) into their items.
            foreach (var item in items.ToList())
            {
                if (item is JsonObject io)
                {
                    items.Remove(io);
                    AddObject(result, io, file, line, apiVersionOptional);
                }
                else if (item is not null)
                {
                    throw new RenderException($"an item of {kind} is not an object", file, line);
                }
            }

            return;
        }

        var missing = string.IsNullOrEmpty(apiVersion) && !apiVersionOptional ? "apiVersion"
            : string.IsNullOrEmpty(kind) ? "kind" : null;
        if (missing is not null)
        {
            throw new RenderException($"object has no {missing} (not a Kubernetes manifest)", file, line);
        }

        result.Add(new Manifest(obj, file));
    }
}
