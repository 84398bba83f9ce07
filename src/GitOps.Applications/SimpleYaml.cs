using System.Text.Json.Nodes;
using GitOps.Rendering;
using GitOps.Rendering.Yaml;

namespace GitOps.Applications;

/// <summary>The controller's own small files (applications, tokens) read with the rendering stage's YAML
/// reader (Kubernetes typing, node caps against alias bombs); each document must be a mapping.</summary>
public static class SimpleYaml
{
    public static IEnumerable<(JsonObject Document, long Line)> ReadDocuments(string text, string origin)
    {
        IReadOnlyList<YamlDocument> documents;
        try
        {
            documents = ManifestYaml.Parse(text, origin, YamlSchema.Kubernetes);
        }
        catch (RenderException e)
        {
            throw new InvalidDataException(e.Message, e);
        }

        return documents.Where(d => d.Root is not null).Select(d => d.Root is JsonObject obj
            ? (obj, (long)d.Line)
            : throw new InvalidDataException($"{origin}:{d.Line}: a document must be a mapping"));
    }
}
