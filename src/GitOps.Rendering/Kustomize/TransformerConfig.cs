using System.Text.Json.Nodes;

namespace GitOps.Rendering.Kustomize;

/// <summary>The field specs the kustomization-level transformers use (kustomize's TransformerConfig): the
/// built-in tables, plus what `configurations:` files and `crds:` add. A base's config flows into the overlays
/// that use it, as kustomize merges accumulators.</summary>
internal sealed class TransformerConfig
{
    public List<FieldSpec> NamePrefix { get; } = [];

    public List<FieldSpec> NameSuffix { get; } = [];

    public List<FieldSpec> Namespace { get; } = [];

    public List<FieldSpec> CommonLabels { get; } = [];

    /// <summary>`labels` in a configurations file: extra places every `labels:` entry writes to.</summary>
    public List<FieldSpec> Labels { get; } = [];

    public List<FieldSpec> TemplateLabels { get; } = [];

    public List<FieldSpec> CommonAnnotations { get; } = [];

    public List<FieldSpec> Images { get; } = [];

    public List<FieldSpec> Replicas { get; } = [];

    public List<FieldSpec> VarReference { get; } = [];

    public List<(string Kind, string? Group, List<FieldSpec> Referrers)> NameReference { get; } = [];

    public static TransformerConfig Default()
    {
        var c = new TransformerConfig();
        c.NamePrefix.Add(new FieldSpec("metadata/name"));
        c.NameSuffix.Add(new FieldSpec("metadata/name"));
        c.Namespace.AddRange(BuiltinFieldSpecs.Namespace);
        c.CommonLabels.AddRange(BuiltinFieldSpecs.CommonLabels);
        c.TemplateLabels.AddRange(BuiltinFieldSpecs.TemplateLabels);
        c.CommonAnnotations.AddRange(BuiltinFieldSpecs.CommonAnnotations);
        c.Images.AddRange(BuiltinFieldSpecs.Images);
        c.Replicas.AddRange(BuiltinFieldSpecs.Replicas);
        c.VarReference.AddRange(BuiltinFieldSpecs.VarReferences);
        c.NameReference.AddRange(BuiltinFieldSpecs.NameReferences);
        return c;
    }

    /// <summary>Adds a `configurations:` document (its keys are the TransformerConfig fields).</summary>
    public void Add(JsonObject doc)
    {
        Add(NamePrefix, doc["namePrefix"]);
        Add(NameSuffix, doc["nameSuffix"]);
        Add(Namespace, doc["namespace"]);
        Add(CommonLabels, doc["commonLabels"]);
        Add(Labels, doc["labels"]);
        Add(TemplateLabels, doc["templateLabels"]);
        Add(CommonAnnotations, doc["commonAnnotations"]);
        Add(Images, doc["images"]);
        Add(Replicas, doc["replicas"]);
        Add(VarReference, doc["varReference"]);
        foreach (var r in (doc["nameReference"] as JsonArray ?? []).OfType<JsonObject>())
        {
            AddNameReference(Scalars.Str(r["kind"]) ?? "", Scalars.Str(r["group"]), [.. (r["fieldSpecs"] as JsonArray ?? []).Select(FieldSpec.FromJson)]);
        }
    }

    public void AddNameReference(string kind, string? group, List<FieldSpec> referrers) =>
        NameReference.Add((kind, group, referrers));

    /// <summary>Merges another accumulation's config into this one (a base into its overlay), skipping specs
    /// already present.</summary>
    public void Merge(TransformerConfig other)
    {
        if (ReferenceEquals(other, this))
        {
            return;
        }

        Union(NamePrefix, other.NamePrefix);
        Union(NameSuffix, other.NameSuffix);
        Union(Namespace, other.Namespace);
        Union(CommonLabels, other.CommonLabels);
        Union(Labels, other.Labels);
        Union(TemplateLabels, other.TemplateLabels);
        Union(CommonAnnotations, other.CommonAnnotations);
        Union(Images, other.Images);
        Union(Replicas, other.Replicas);
        Union(VarReference, other.VarReference);
        foreach (var entry in other.NameReference.Where(e => !NameReference.Contains(e)))
        {
            NameReference.Add(entry);
        }
    }

    private static void Add(List<FieldSpec> into, JsonNode? specs)
    {
        if (specs is JsonArray list)
        {
            // kustomize starts from the file's specs and adds each built-in one only if no spec there is "the same"
            // (same path, within the built-in's kinds): a custom `metadata/name` for kind X replaces the all-kinds
            // default, so namePrefix then renames only X.
            List<FieldSpec> custom = [.. list.Select(FieldSpec.FromJson)];
            into.RemoveAll(existing => custom.Exists(existing.Covers));
            Union(into, custom);
        }
    }

    private static void Union(List<FieldSpec> into, List<FieldSpec> add) => into.AddRange(add.Where(s => !into.Contains(s)));
}
