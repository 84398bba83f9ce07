using System.Text.Json.Nodes;
using GitOps.Rendering.Kustomize.Plugins;

namespace GitOps.Rendering.Kustomize.Transformers;

/// <summary>`replacements:` / ReplacementTransformer: entries inline or from files (`path:`).</summary>
internal sealed class ReplacementTransformer(PluginContext context, JsonNode? replacements) : ITransformer
{
    public Task TransformAsync(List<Resource> resources, CancellationToken ct) =>
        VarsAndReplacements.ReplaceAsync(context.Loader, context.Directory, context.KustomizationFile, resources, replacements, ct);
}
