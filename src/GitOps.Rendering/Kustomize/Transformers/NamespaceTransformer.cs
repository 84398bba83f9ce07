using System.Text.Json.Nodes;
using GitOps.Rendering.Kustomize.Plugins;

namespace GitOps.Rendering.Kustomize.Transformers;

/// <summary>How a namespace change treats RoleBinding/ClusterRoleBinding subjects (setRoleBindingSubjects).</summary>
internal enum RoleBindingSubjects
{
    /// <summary>Subjects named `default` move along (kustomize's default).</summary>
    DefaultOnly,

    /// <summary>Every ServiceAccount subject moves along.</summary>
    AllServiceAccounts,

    /// <summary>Subjects are left alone.</summary>
    None,
}

/// <summary>`namespace:` / NamespaceTransformer: metadata.namespace on namespaced objects, the field specs
/// (a v1 Namespace's own name, APIService and CRD conversion services) and binding subjects.</summary>
internal sealed class NamespaceTransformer(string ns, IReadOnlyList<FieldSpec> specs, bool unsetOnly, RoleBindingSubjects subjects)
    : Plugins.ITransformer
{
    public static NamespaceTransformer FromConfig(JsonObject config, string display)
    {
        var mode = Scalars.Str(config["setRoleBindingSubjects"]) switch
        {
            null or "" or "defaultOnly" => RoleBindingSubjects.DefaultOnly,
            "allServiceAccounts" => RoleBindingSubjects.AllServiceAccounts,
            "none" => RoleBindingSubjects.None,
            var other => throw new RenderException($"invalid value '{other}' for setRoleBindingSubjects: must be one of defaultOnly, none or allServiceAccounts", display),
        };
        return new NamespaceTransformer(Scalars.Str(config["metadata"]?["namespace"]) ?? "", BuiltinPlugins.FieldSpecs(config),
            Scalars.Bool(config["unsetOnly"]), mode);
    }

    public Task TransformAsync(List<Resource> resources, CancellationToken ct)
    {
        if (ns.Length == 0)
        {
            return Task.CompletedTask;
        }

        foreach (var r in resources)
        {
            if (Scalars.Str(r.Metadata["annotations"]?["kustomize.config.k8s.io/helm-generated"]) == "true")
            {
                continue;
            }

            // kustomize stores every visited object's id as a previous id, moved or not (cluster-scoped ones too):
            // such an object becomes a name-reference candidate under that name (kubectl-checked, fixture
            // name-namespace-keeps-unrenamed-referral).
            r.StorePreviousId();
            if (!Gvk.IsClusterScoped(r))
            {
                Set(r.Metadata, "namespace");
            }

            var isBinding = r.Kind is "RoleBinding" or "ClusterRoleBinding";
            if (isBinding && subjects != RoleBindingSubjects.None && r.Object["subjects"] is JsonArray list)
            {
                foreach (var s in list.OfType<JsonObject>())
                {
                    var moves = subjects == RoleBindingSubjects.DefaultOnly
                        ? Scalars.Str(s["name"]) == "default"
                        : Scalars.Str(s["kind"]) == "ServiceAccount";
                    if (moves)
                    {
                        Set(s, "namespace");
                    }
                }
            }

            foreach (var spec in specs.Where(s => s.Applies(r)))
            {
                if (spec.Path == "metadata/namespace" || (spec.Path == "metadata/name" && r.ApiVersion != "v1")
                    || (isBinding && spec.Path == "subjects/namespace"))
                {
                    continue;
                }

                FieldPath.Visit(r.Object, spec.Segments, spec.Create, Set);
            }

            r.Record();
        }

        return Task.CompletedTask;
    }

    private void Set(JsonObject parent, string key)
    {
        if (!unsetOnly || string.IsNullOrEmpty(Scalars.Str(parent[key])))
        {
            parent[key] = ns;
        }
    }
}
