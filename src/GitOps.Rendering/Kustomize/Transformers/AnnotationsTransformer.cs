using System.Text.Json.Nodes;
using GitOps.Rendering.Kustomize.Plugins;

namespace GitOps.Rendering.Kustomize.Transformers;

/// <summary>`commonAnnotations:` and AnnotationsTransformer: sets annotation pairs where the field specs reach.</summary>
internal sealed class AnnotationsTransformer(IReadOnlyList<(string Key, string Value)> annotations, IReadOnlyList<FieldSpec> specs) : Plugins.ITransformer
{
    public static AnnotationsTransformer FromConfig(JsonObject config) =>
        new(MetadataTransformers.Pairs(config["annotations"]), BuiltinPlugins.FieldSpecs(config));

    public Task TransformAsync(List<Resource> resources, CancellationToken ct)
    {
        MetadataTransformers.SetMapEntries(resources, annotations, specs);
        return Task.CompletedTask;
    }
}
