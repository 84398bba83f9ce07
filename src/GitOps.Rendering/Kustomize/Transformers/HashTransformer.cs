using GitOps.Rendering.Kustomize.Generators;

namespace GitOps.Rendering.Kustomize.Transformers;

/// <summary>HashTransformer (and the end of every build): generated ConfigMaps/Secrets get their content-hash
/// suffix, once.</summary>
internal sealed class HashTransformer : Plugins.ITransformer
{
    public Task TransformAsync(List<Resource> resources, CancellationToken ct)
    {
        foreach (var r in resources.Where(r => r.NeedsHash))
        {
            r.SetName($"{r.Name}-{ContentHash.Compute(r.Object)}");
            r.NeedsHash = false;
        }

        return Task.CompletedTask;
    }
}
