using System.Text.Json.Nodes;
using GitOps.Rendering.Kustomize.Plugins;

namespace GitOps.Rendering.Kustomize.Transformers;

/// <summary>One `replicas:` entry / ReplicaCountTransformer: sets the count on the objects with that name (now
/// or before a rename) whose kind a field spec selects; none at all is an error, as in kustomize.</summary>
internal sealed class ReplicaCountTransformer(JsonObject replica, IReadOnlyList<FieldSpec> specs, string display) : Plugins.ITransformer
{
    public static ReplicaCountTransformer FromConfig(JsonObject config, string display) =>
        new(config["replica"] as JsonObject ?? [], BuiltinPlugins.FieldSpecs(config), display);

    public Task TransformAsync(List<Resource> resources, CancellationToken ct)
    {
        var name = Scalars.Str(replica["name"]) ?? throw new RenderException("replicas entry has no name", display);
        var count = replica["count"]?.DeepClone() ?? throw new RenderException($"replicas entry '{name}' has no count", display);
        var found = false;
        foreach (var spec in specs)
        {
            foreach (var r in resources.Where(r => r.HadName(name) && spec.Applies(r)))
            {
                found = true;
                FieldPath.Visit(r.Object, spec.Segments, spec.Create, (parent, key) => parent[key] = count.DeepClone());
            }
        }

        if (!found)
        {
            throw new RenderException($"resource with name {name} does not match a config with the following GVK [{string.Join(" ", specs.Select(s => s.Kind))}]", display);
        }

        return Task.CompletedTask;
    }
}
