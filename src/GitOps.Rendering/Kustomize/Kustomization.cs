using System.Text.Json.Nodes;

namespace GitOps.Rendering.Kustomize;

/// <summary>A kustomization.yaml, read once into typed fields (kustomize's types.Kustomization). Entries whose
/// shape the builtin plugins consume as-is (patches, images, replicas, generators…) stay as their mappings.</summary>
internal sealed record Kustomization(JsonObject Raw)
{
    public bool IsComponent => Scalars.Str(Raw["kind"]) == "Component";

    /// <summary>`resources:` then the deprecated `bases:`.</summary>
    public IReadOnlyList<string> Resources { get; } = [.. Scalars.Strings(Raw["resources"]), .. Scalars.Strings(Raw["bases"])];

    public IReadOnlyList<string> Components { get; } = [.. Scalars.Strings(Raw["components"])];

    public IReadOnlyList<string> Configurations { get; } = [.. Scalars.Strings(Raw["configurations"])];

    public IReadOnlyList<string> Crds { get; } = [.. Scalars.Strings(Raw["crds"])];

    /// <summary>Builtin generator configs: files, directories or inline YAML.</summary>
    public IReadOnlyList<string> Generators { get; } = [.. Scalars.Strings(Raw["generators"])];

    /// <summary>Builtin transformer configs: files, directories or inline YAML.</summary>
    public IReadOnlyList<string> Transformers { get; } = [.. Scalars.Strings(Raw["transformers"])];

    public IReadOnlyList<string> Validators { get; } = [.. Scalars.Strings(Raw["validators"])];

    public string Namespace { get; } = Scalars.Str(Raw["namespace"]) ?? "";

    public string NamePrefix { get; } = Scalars.Str(Raw["namePrefix"]) ?? "";

    public string NameSuffix { get; } = Scalars.Str(Raw["nameSuffix"]) ?? "";

    public IReadOnlyList<(string Key, string Value)> CommonLabels { get; } = GitOps.Rendering.Kustomize.Transformers.MetadataTransformers.Pairs(Raw["commonLabels"]);

    public IReadOnlyList<(string Key, string Value)> CommonAnnotations { get; } = GitOps.Rendering.Kustomize.Transformers.MetadataTransformers.Pairs(Raw["commonAnnotations"]);

    public IReadOnlyList<JsonObject> Labels { get; } = Objects(Raw["labels"]);

    public JsonNode? PatchesStrategicMerge => Raw["patchesStrategicMerge"];

    public IReadOnlyList<JsonObject> Patches { get; } = Objects(Raw["patches"]);

    public IReadOnlyList<JsonObject> PatchesJson6902 { get; } = Objects(Raw["patchesJson6902"]);

    public IReadOnlyList<JsonObject> Images { get; } = Objects(Raw["images"]);

    public IReadOnlyList<JsonObject> Replicas { get; } = Objects(Raw["replicas"]);

    public JsonNode? Replacements => Raw["replacements"];

    public IReadOnlyList<JsonObject> Vars { get; } = Objects(Raw["vars"]);

    public IReadOnlyList<JsonObject> ConfigMapGenerator { get; } = Objects(Raw["configMapGenerator"]);

    public IReadOnlyList<JsonObject> SecretGenerator { get; } = Objects(Raw["secretGenerator"]);

    public JsonObject? GeneratorOptions => Raw["generatorOptions"] as JsonObject;

    public bool HasHelmCharts => Raw["helmCharts"] is JsonArray { Count: > 0 };

    public IReadOnlyList<string> BuildMetadata { get; } = [.. Scalars.Strings(Raw["buildMetadata"])];

    public JsonObject? SortOptions => Raw["sortOptions"] as JsonObject;

    private static List<JsonObject> Objects(JsonNode? node) => node is JsonArray a ? [.. a.OfType<JsonObject>()] : [];
}
