using System.Text.Json.Nodes;
using GitOps.Rendering.Kustomize.Generators;
using GitOps.Rendering.Kustomize.Transformers;

namespace GitOps.Rendering.Kustomize.Plugins;

/// <summary>Builtin plugin configs listed under `transformers:`/`generators:` (`apiVersion: builtin`): the kinds
/// kustomize v5 links in. Exec and Go plugins are never run.</summary>
internal static class BuiltinPlugins
{
    public static List<FieldSpec> FieldSpecs(JsonObject config) =>
        [.. (config["fieldSpecs"] as JsonArray ?? []).Select(FieldSpec.FromJson)];

    public static ITransformer Transformer(PluginContext context, Resource config) => Kind(config, context) switch
    {
        "NamespaceTransformer" => NamespaceTransformer.FromConfig(config.Object, context.Display),
        "PrefixSuffixTransformer" or "PrefixTransformer" or "SuffixTransformer" => PrefixSuffixTransformer.FromConfig(config.Object),
        "LabelTransformer" => LabelTransformer.FromConfig(config.Object),
        "AnnotationsTransformer" => AnnotationsTransformer.FromConfig(config.Object),
        "PatchTransformer" => new PatchTransformer(context, config.Object),
        "PatchStrategicMergeTransformer" => PatchStrategicMergeTransformer.FromConfig(context, config.Object),
        "PatchJson6902Transformer" => PatchJson6902Transformer.FromConfig(context, config.Object),
        "ImageTagTransformer" => ImageTagTransformer.FromConfig(config.Object),
        "ReplicaCountTransformer" => ReplicaCountTransformer.FromConfig(config.Object, context.Display),
        "ReplacementTransformer" => new ReplacementTransformer(context, config.Object["replacements"]),
        "HashTransformer" => new HashTransformer(),
        var kind => throw new RenderException($"unable to load builtin transformer '{kind}' (only kustomize's builtin transformers are supported)", context.Display),
    };

    public static IGenerator Generator(PluginContext context, Resource config, IHelmChartInflater? helm, string repositoryRoot) => Kind(config, context) switch
    {
        "ConfigMapGenerator" => ConfigMapSecretGeneratorPlugin.FromConfig(context, config.Object, secret: false),
        "SecretGenerator" => ConfigMapSecretGeneratorPlugin.FromConfig(context, config.Object, secret: true),
        "HelmChartInflationGenerator" => HelmChartInflationGenerator.FromConfig(context, helm, repositoryRoot, config.Object),
        "IAMPolicyGenerator" => new IamPolicyGenerator(context, config.Object),
        var kind => throw new RenderException($"unable to load builtin generator '{kind}' (only kustomize's builtin generators are supported)", context.Display),
    };

    private static string Kind(Resource config, PluginContext context) =>
        config.ApiVersion == "builtin"
            ? config.Kind
            : throw new RenderException($"plugin {config.ApiVersion}/{config.Kind} '{config.Name}' is not a builtin plugin; exec and Go plugins are not supported", context.Display);
}
