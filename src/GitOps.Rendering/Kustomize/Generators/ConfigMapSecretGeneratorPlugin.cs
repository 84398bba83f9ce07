using System.Text.Json.Nodes;
using GitOps.Rendering.Kustomize.Plugins;

namespace GitOps.Rendering.Kustomize.Generators;

/// <summary>One `configMapGenerator:`/`secretGenerator:` entry, or a ConfigMapGenerator/SecretGenerator config
/// (name and namespace under metadata there).</summary>
internal sealed class ConfigMapSecretGeneratorPlugin(PluginContext context, JsonObject entry, JsonObject? globalOptions, bool secret) : IGenerator
{
    public static ConfigMapSecretGeneratorPlugin FromConfig(PluginContext context, JsonObject config, bool secret)
    {
        var entry = (JsonObject)config.DeepClone();
        entry.Remove("apiVersion");
        entry.Remove("kind");
        entry.Remove("metadata");
        entry["name"] = Scalars.Str(config["metadata"]?["name"]);
        if (Scalars.Str(config["metadata"]?["namespace"]) is { Length: > 0 } ns)
        {
            entry["namespace"] = ns;
        }

        return new(context, entry, null, secret);
    }

    public Task GenerateAsync(List<Resource> resources, CancellationToken ct) =>
        new ConfigMapSecretGenerator(context.Loader, context.Directory, context.KustomizationFile)
            .RunAsync(resources, new JsonArray(entry.DeepClone()), globalOptions, secret, null, ct);
}

/// <summary>`helmCharts:` entries and HelmChartInflationGenerator, inflated by our own Helm renderer.</summary>
internal sealed class HelmChartInflationGenerator(PluginContext context, IHelmChartInflater? helm, string repositoryRoot, JsonObject kustomization) : IGenerator
{
    public static HelmChartInflationGenerator FromConfig(PluginContext context, IHelmChartInflater? helm, string repositoryRoot, JsonObject config)
    {
        var globals = new JsonObject();
        if (Scalars.Str(config["chartHome"]) is { } home)
        {
            globals["chartHome"] = home;
        }

        return new(context, helm, repositoryRoot, new JsonObject { ["helmCharts"] = new JsonArray(config.DeepClone()), ["helmGlobals"] = globals });
    }

    public async Task GenerateAsync(List<Resource> resources, CancellationToken ct)
    {
        var added = await HelmCharts.InflateAsync(context.Loader, helm, repositoryRoot, context.Directory, context.KustomizationFile, kustomization, ct).ConfigureAwait(false);
        KustomizeBuilder.Append(resources, added, context.Display);
    }
}
