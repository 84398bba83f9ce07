using System.Text.Json.Nodes;
using GitOps.Rendering.Kustomize.Patching;
using GitOps.Rendering.Kustomize.Plugins;

namespace GitOps.Rendering.Kustomize.Transformers;

/// <summary>`patches:` entries and PatchTransformer: a strategic merge or JSON 6902 patch, from a file or
/// inline, on its target (or on the object it names).</summary>
internal sealed class PatchTransformer(PluginContext context, JsonObject entry) : ITransformer
{
    public Task TransformAsync(List<Resource> resources, CancellationToken ct) =>
        new PatchApplier(context.Loader, context.Directory, context.KustomizationFile).PatchesAsync(resources, new JsonArray(entry.DeepClone()), ct);
}

/// <summary>`patchesStrategicMerge:` and PatchStrategicMergeTransformer (`paths:` files, `patches:` inline text).</summary>
internal sealed class PatchStrategicMergeTransformer(PluginContext context, JsonNode? paths) : ITransformer
{
    public static PatchStrategicMergeTransformer FromConfig(PluginContext context, JsonObject config)
    {
        var all = new JsonArray();
        foreach (var p in Scalars.Strings(config["paths"]))
        {
            all.Add((JsonNode)p);
        }

        if (Scalars.Str(config["patches"]) is { Length: > 0 } inline)
        {
            all.Add((JsonNode)inline);
        }

        return new(context, all);
    }

    public Task TransformAsync(List<Resource> resources, CancellationToken ct) =>
        new PatchApplier(context.Loader, context.Directory, context.KustomizationFile).StrategicMergeListAsync(resources, paths, ct);
}

/// <summary>`patchesJson6902:` entries and PatchJson6902Transformer (target, and path or inline jsonOp).</summary>
internal sealed class PatchJson6902Transformer(PluginContext context, JsonObject entry) : ITransformer
{
    public static PatchJson6902Transformer FromConfig(PluginContext context, JsonObject config)
    {
        var entry = new JsonObject { ["target"] = config["target"]?.DeepClone() };
        if (Scalars.Str(config["path"]) is { } path)
        {
            entry["path"] = path;
        }

        if (Scalars.Str(config["jsonOp"]) is { } op)
        {
            entry["patch"] = op;
        }

        return new(context, entry);
    }

    public Task TransformAsync(List<Resource> resources, CancellationToken ct) =>
        new PatchApplier(context.Loader, context.Directory, context.KustomizationFile).Json6902ListAsync(resources, new JsonArray(entry.DeepClone()), ct);
}
