using System.Text.Json.Nodes;
using GitOps.Rendering.Kustomize.Plugins;

namespace GitOps.Rendering.Kustomize.Transformers;

/// <summary>One `images:` entry / ImageTagTransformer: every container and initContainer list anywhere, plus
/// the image fields the specs name (`configurations:` adds them for custom kinds).</summary>
internal sealed class ImageTagTransformer(JsonObject imageTag, IReadOnlyList<FieldSpec> specs) : Plugins.ITransformer
{
    public static ImageTagTransformer FromConfig(JsonObject config) =>
        new(config["imageTag"] as JsonObject ?? [], BuiltinPlugins.FieldSpecs(config));

    public Task TransformAsync(List<Resource> resources, CancellationToken ct)
    {
        Images.SetImages(resources, new JsonArray(imageTag.DeepClone()));
        foreach (var r in resources)
        {
            foreach (var spec in specs.Where(s => s.Applies(r)))
            {
                FieldPath.Visit(r.Object, spec.Segments, false, (parent, key) =>
                {
                    if (parent[key] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)
                    {
                        parent[key] = Images.Rewrite(v.GetValue<string>(), [imageTag]);
                    }
                });
            }
        }

        return Task.CompletedTask;
    }
}
