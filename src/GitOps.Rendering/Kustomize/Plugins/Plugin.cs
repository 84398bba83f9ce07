namespace GitOps.Rendering.Kustomize.Plugins;

/// <summary>Where a plugin was configured: the kustomization that lists it (its files load relative to it).</summary>
internal sealed record PluginContext(Loader Loader, string Directory, string KustomizationFile)
{
    public string Display => Loader.FileSystem.Display(KustomizationFile);
}

/// <summary>One builtin transformer instance, configured (kustomize's TransformerPlugin).</summary>
internal interface ITransformer
{
    Task TransformAsync(List<Resource> resources, CancellationToken ct);
}

/// <summary>One builtin generator instance; it absorbs what it makes into the accumulated resources (create,
/// merge or replace, as kustomize's ResAccumulator.AbsorbAll).</summary>
internal interface IGenerator
{
    Task GenerateAsync(List<Resource> resources, CancellationToken ct);
}
