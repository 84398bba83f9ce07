using System.Text.Json.Nodes;

namespace GitOps.Rendering.Kustomize;

/// <summary>One object in a kustomize build, with the identity history kustomize tracks (original and previous
/// names/namespaces, prefixes and suffixes applied) so patches and name references can find it later.</summary>
internal sealed class Resource
{
    public Resource(JsonObject obj, string? source)
    {
        Object = obj;
        Source = source;
        History.Add((Namespace, Name));
        Kinds.Add(Kind);
    }

    public JsonObject Object { get; set; }

    public string? Source { get; }

    /// <summary>(namespace, name) pairs this object has had, oldest first; the last is the current one.</summary>
    public List<(string Namespace, string Name)> History { get; } = [];

    /// <summary>Kinds this object has had (a patch with allowKindChange), oldest first: later patches may still
    /// name it by its original kind.</summary>
    public List<string> Kinds { get; } = [];

    public List<string> Prefixes { get; } = [];

    /// <summary>Legacy vars whose value this object provides (bound where the var was declared).</summary>
    public List<string> VarNames { get; } = [];

    public List<string> Suffixes { get; } = [];

    /// <summary>Set for generated ConfigMaps/Secrets that get kustomize's content-hash suffix at the end.</summary>
    public bool NeedsHash { get; set; }

    public string? Behavior { get; set; }

    public string ApiVersion => Object["apiVersion"]?.GetValue<string>() ?? "";

    public string Kind => Object["kind"]?.GetValue<string>() ?? "";

    public string Group => Gvk.GroupOf(ApiVersion);

    public string Version => Gvk.VersionOf(ApiVersion);

    public string Name => Object["metadata"]?["name"] is JsonValue v ? v.ToString() : "";

    public string Namespace => Object["metadata"]?["namespace"] is JsonValue v ? v.ToString() : "";

    public string OriginalName => History[0].Name;

    public string OriginalNamespace => History[0].Namespace;

    public JsonObject Metadata
    {
        get
        {
            if (Object["metadata"] is not JsonObject m)
            {
                m = [];
                Object["metadata"] = m;
            }

            return m;
        }
    }

    public void SetName(string name)
    {
        Metadata["name"] = name;
        Record();
    }

    public void SetNamespace(string ns)
    {
        Metadata["namespace"] = ns;
        Record();
    }

    /// <summary>Call after anything changed name or namespace in place (patches, replacements).</summary>
    public void Record()
    {
        var current = (Namespace, Name);
        if (History[^1] != current)
        {
            History.Add(current);
        }

        if (Kinds[^1] != Kind)
        {
            Kinds.Add(Kind);
        }
    }

    public bool HadKind(string kind) => Kinds.Contains(kind);

    /// <summary>kustomize's StorePreviousId: the current id joins the history even when it will not change, so
    /// name references see the object as one that "had" its current name.</summary>
    public void StorePreviousId() => History.Add((Namespace, Name));

    public bool HadName(string name) => History.Exists(h => h.Name == name);

    public bool HadNamespace(string ns) => History.Exists(h => SameNamespace(h.Namespace, ns));

    public static bool SameNamespace(string a, string b) =>
        a == b || (a is "" or "default" && b is "" or "default");

    /// <summary>The id kustomize refuses to see twice in one build: group, version, kind, namespace, name.</summary>
    public string Id => $"{Group}/{Version}/{Kind}|{(Namespace is "" or "default" ? "" : Namespace)}|{Name}";

    public Resource Clone()
    {
        var copy = new Resource((JsonObject)Object.DeepClone(), Source) { NeedsHash = NeedsHash, Behavior = Behavior };
        copy.History.Clear();
        copy.History.AddRange(History);
        copy.Kinds.Clear();
        copy.Kinds.AddRange(Kinds);
        copy.Prefixes.AddRange(Prefixes);
        copy.Suffixes.AddRange(Suffixes);
        copy.VarNames.AddRange(VarNames);
        return copy;
    }

    public override string ToString() => $"{Kind} {(Namespace.Length > 0 ? Namespace + "/" : "")}{Name}";
}

/// <summary>apiVersion helpers and which built-in kinds are cluster-scoped.</summary>
internal static class Gvk
{
    public static string GroupOf(string apiVersion)
    {
        var i = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return i < 0 ? "" : apiVersion[..i];
    }

    public static string VersionOf(string apiVersion)
    {
        var i = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return i < 0 ? apiVersion : apiVersion[(i + 1)..];
    }

    /// <summary>Built-in cluster-scoped kinds and their API group: kustomize asks its OpenAPI schema by group and
    /// kind, so a custom kind that happens to be called Namespace stays namespaced.</summary>
    private static readonly Dictionary<string, string[]> ClusterScoped = new(StringComparer.Ordinal)
    {
        ["Namespace"] = [""], ["Node"] = [""], ["PersistentVolume"] = [""], ["ComponentStatus"] = [""],
        ["ClusterRole"] = ["rbac.authorization.k8s.io"], ["ClusterRoleBinding"] = ["rbac.authorization.k8s.io"],
        ["CustomResourceDefinition"] = ["apiextensions.k8s.io"], ["APIService"] = ["apiregistration.k8s.io"],
        ["StorageClass"] = ["storage.k8s.io"], ["CSIDriver"] = ["storage.k8s.io"], ["CSINode"] = ["storage.k8s.io"],
        ["VolumeAttachment"] = ["storage.k8s.io"], ["VolumeAttributesClass"] = ["storage.k8s.io"],
        ["PriorityClass"] = ["scheduling.k8s.io"], ["RuntimeClass"] = ["node.k8s.io"], ["IngressClass"] = ["networking.k8s.io"],
        ["MutatingWebhookConfiguration"] = ["admissionregistration.k8s.io"], ["ValidatingWebhookConfiguration"] = ["admissionregistration.k8s.io"],
        ["ValidatingAdmissionPolicy"] = ["admissionregistration.k8s.io"], ["ValidatingAdmissionPolicyBinding"] = ["admissionregistration.k8s.io"],
        ["MutatingAdmissionPolicy"] = ["admissionregistration.k8s.io"], ["MutatingAdmissionPolicyBinding"] = ["admissionregistration.k8s.io"],
        ["PodSecurityPolicy"] = ["policy", "extensions"], ["CertificateSigningRequest"] = ["certificates.k8s.io"],
        ["ClusterTrustBundle"] = ["certificates.k8s.io"], ["TokenReview"] = ["authentication.k8s.io"],
        ["SelfSubjectAccessReview"] = ["authorization.k8s.io"], ["SubjectAccessReview"] = ["authorization.k8s.io"],
        ["SelfSubjectRulesReview"] = ["authorization.k8s.io"], ["FlowSchema"] = ["flowcontrol.apiserver.k8s.io"],
        ["PriorityLevelConfiguration"] = ["flowcontrol.apiserver.k8s.io"], ["StorageVersion"] = ["internal.apiserver.k8s.io"],
        ["DeviceClass"] = ["resource.k8s.io"],
    };

    public static bool IsClusterScoped(string group, string kind) => ClusterScoped.TryGetValue(kind, out var groups) && groups.Contains(group);

    public static bool IsClusterScoped(Resource r) => IsClusterScoped(r.Group, r.Kind);
}
