using System.Text.Json.Nodes;
using GitOps.Rendering.Kustomize.Plugins;

namespace GitOps.Rendering.Kustomize.Transformers;

/// <summary>`namePrefix:` / `nameSuffix:` (PrefixTransformer, SuffixTransformer, and the legacy
/// PrefixSuffixTransformer that runs both): prepends/appends to every string the field specs reach. A change
/// of metadata/name is remembered, so name references and later patches still find the object.</summary>
internal sealed class PrefixSuffixTransformer(string prefix, string suffix, IReadOnlyList<FieldSpec> specs) : Plugins.ITransformer
{
    public static PrefixSuffixTransformer FromConfig(JsonObject config) =>
        new(Scalars.Str(config["prefix"]) ?? "", Scalars.Str(config["suffix"]) ?? "", BuiltinPlugins.FieldSpecs(config));

    public Task TransformAsync(List<Resource> resources, CancellationToken ct)
    {
        // Prefix first, then suffix: the legacy transformer is kustomize's prefix and suffix transformers in a row.
        Apply(resources, prefix, "");
        Apply(resources, "", suffix);
        return Task.CompletedTask;
    }

    private void Apply(List<Resource> resources, string pre, string post)
    {
        if (pre.Length == 0 && post.Length == 0)
        {
            return;
        }

        foreach (var r in resources.Where(r => !Skipped(r)))
        {
            foreach (var spec in specs.Where(s => s.Applies(r)))
            {
                FieldPath.Visit(r.Object, spec.Segments, spec.Create, (parent, key) =>
                {
                    if (parent[key] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)
                    {
                        parent[key] = pre + v.GetValue<string>() + post;
                    }
                    else if (parent[key] is null)
                    {
                        parent[key] = pre + post;
                    }
                });
                if (spec.Path == "metadata/name")
                {
                    (pre.Length > 0 ? r.Prefixes : r.Suffixes).Add(pre.Length > 0 ? pre : post);
                    r.Record();
                }
            }
        }
    }

    /// <summary>kustomize never renames CRDs, APIServices or Namespaces of any group.</summary>
    private static bool Skipped(Resource r) =>
        r.Kind is "CustomResourceDefinition" or "Namespace" || (r.Kind == "APIService" && r.Group == "apiregistration.k8s.io");
}
