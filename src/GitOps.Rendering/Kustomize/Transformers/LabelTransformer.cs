using System.Text.Json.Nodes;
using GitOps.Rendering.Kustomize.Plugins;

namespace GitOps.Rendering.Kustomize.Transformers;

/// <summary>`commonLabels:`, `labels:` and LabelTransformer: sets label pairs in the maps the field specs reach.</summary>
internal sealed class LabelTransformer(IReadOnlyList<(string Key, string Value)> labels, IReadOnlyList<FieldSpec> specs) : Plugins.ITransformer
{
    public static LabelTransformer FromConfig(JsonObject config) =>
        new(MetadataTransformers.Pairs(config["labels"]), BuiltinPlugins.FieldSpecs(config));

    /// <summary>One `labels:` entry: metadata labels, plus templates or selectors when asked, plus its own
    /// fields and the `labels` specs of `configurations:`.</summary>
    public static LabelTransformer FromLabelsEntry(JsonObject entry, TransformerConfig config)
    {
        var specs = new List<FieldSpec>((entry["fields"] as JsonArray ?? []).Select(FieldSpec.FromJson));
        void Add(IEnumerable<FieldSpec> more) => specs.AddRange(more.Where(s => !specs.Contains(s)));
        Add(config.Labels);
        if (Scalars.Bool(entry["includeSelectors"]))
        {
            Add(config.CommonLabels);
        }
        else
        {
            if (Scalars.Bool(entry["includeTemplates"]))
            {
                Add(config.TemplateLabels);
            }

            Add(BuiltinFieldSpecs.MetadataLabels);
        }

        return new(MetadataTransformers.Pairs(entry["pairs"]), specs);
    }

    public Task TransformAsync(List<Resource> resources, CancellationToken ct)
    {
        MetadataTransformers.SetMapEntries(resources, labels, specs);
        return Task.CompletedTask;
    }
}
