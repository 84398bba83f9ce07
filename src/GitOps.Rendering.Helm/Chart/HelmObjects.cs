using System.Text;
using System.Text.RegularExpressions;
using GitOps.Primitives;
using GitOps.Templating.Functions;
using GitOps.Templating;
using GitOps.Templating.Serialization;

namespace GitOps.Rendering.Helm.Chart;

/// <summary>.Files: the chart's non-template files (keyed by chart-relative path); nothing else is reachable.
/// Like Helm's engine.files it is a map of path to bytes with methods, so `range $path, $bytes := .Files.Glob "x/*"`,
/// `index`, `len` and truth work on it as on any map.</summary>
internal sealed class FilesObject : GoMapObject
{
    public FilesObject(IEnumerable<KeyValuePair<string, byte[]>> files)
    {
        foreach (var (k, v) in files) this[k] = v;
    }

    public override string GoTypeName => "engine.files";

    public override GoMapObject NewEmpty() => new FilesObject([]);

    private byte[]? Find(string name) => PathGuard.CleanRelative(name) is { } clean && TryGetValue(clean, out var b) ? b as byte[] : null;

    public override GoFunction? GetMethod(string name) => name switch
    {
        "Get" => GoFunction.Of(name, "s", (_, a) => Find((string)a[0]!) is { } b ? Encoding.UTF8.GetString(b) : ""),
        "GetBytes" => GoFunction.Of(name, "s", (_, a) => Find((string)a[0]!) ?? []),
        "Glob" => GoFunction.Of(name, "s", (_, a) => Glob((string)a[0]!)),
        "Lines" => GoFunction.Of(name, "s", (_, a) => Lines((string)a[0]!)),
        "AsConfig" => GoFunction.Of(name, "", (_, _) => AsMap(b => Encoding.UTF8.GetString(b))),
        "AsSecrets" => GoFunction.Of(name, "", (_, _) => AsMap(Convert.ToBase64String)),
        _ => null,
    };

    private List<object?> Lines(string path)
    {
        if (Find(path) is not { Length: > 0 } b) return [];
        var s = Encoding.UTF8.GetString(b);
        if (s.EndsWith('\n')) s = s[..^1];
        return s.Split('\n').Select(x => (object?)x).ToList();
    }

    private FilesObject Glob(string pattern)
    {
        var rx = GlobRegex(pattern);
        return new FilesObject(this.Where(kv => rx.IsMatch(kv.Key)).Select(kv => KeyValuePair.Create(kv.Key, (byte[])kv.Value!)));
    }

    /// <summary>gobwas/glob with '/' as separator: * and ? stay within a segment, ** crosses, {a,b} and [..] classes.</summary>
    internal static Regex GlobRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*': sb.Append(".*"); i++; break;
                case '*': sb.Append("[^/]*"); break;
                case '?': sb.Append("[^/]"); break;
                case '{': sb.Append("(?:"); break;
                case '}': sb.Append(')'); break;
                case ',': sb.Append('|'); break;
                case '[':
                {
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0) { sb.Append(@"\["); break; }
                    var cls = pattern[(i + 1)..close];
                    if (cls.StartsWith('!')) cls = "^" + cls[1..];
                    sb.Append('[').Append(cls.Replace(@"\", @"\\", StringComparison.Ordinal)).Append(']');
                    i = close;
                    break;
                }
                case '\\' when i + 1 < pattern.Length: sb.Append(Regex.Escape(pattern[++i].ToString())); break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    private string AsMap(Func<byte[], string> encode)
    {
        var m = GoValues.NewMap();
        foreach (var (k, v) in this) m[k[(k.LastIndexOf('/') + 1)..]] = encode((byte[])v!);
        return HelmFunctions.ToYaml(m, pretty: false, must: false);
    }
}

/// <summary>.Values of a chart: Helm's chartutil.Values, a map with the methods templates call on it.</summary>
internal sealed class ValuesObject : GoMapObject
{
    public ValuesObject(IEnumerable<KeyValuePair<string, object?>> values)
    {
        foreach (var (k, v) in values) this[k] = v;
    }

    public override string GoTypeName => "chartutil.Values";

    public override GoMapObject NewEmpty() => new ValuesObject([]);

    public override GoFunction? GetMethod(string name) => name switch
    {
        "AsMap" => GoFunction.Of(name, "", (_, _) => this),
        // yaml.Marshal of the map: toYaml without its trimming of the final newline.
        "YAML" => GoFunction.Of(name, "", (_, _) => HelmFunctions.ToYaml(this, pretty: false, must: true) + "\n"),
        "Table" => GoFunction.Of(name, "s", (_, a) => Table((string)a[0]!)),
        _ => null,
    };

    /// <summary>Values.Table: the map at a dotted path, or Go's error.</summary>
    private ValuesObject Table(string path)
    {
        object? current = this;
        foreach (var part in path.Split('.'))
        {
            current = current is Dictionary<string, object?> m && m.TryGetValue(part, out var next) && next is Dictionary<string, object?> ? next : null;
            if (current is null) throw new FunctionException($"no table named \"{path}\"");
        }
        return current as ValuesObject ?? new ValuesObject((Dictionary<string, object?>)current!);
    }
}

/// <summary>.Capabilities: KubeVersion, APIVersions (with Has) and HelmVersion.</summary>
internal sealed class CapabilitiesObject(KubeVersionObject kube, VersionSetObject apis) : IGoObject
{
    public string GoTypeName => "*chartutil.Capabilities";

    public bool TryGetField(string name, out object? value)
    {
        value = name switch
        {
            "KubeVersion" => kube,
            "APIVersions" => apis,
            "HelmVersion" => new Dictionary<string, object?>
            {
                ["Version"] = "v3.21.4", ["GitCommit"] = "", ["GitTreeState"] = "", ["GoVersion"] = "go1.24",
            },
            _ => NoValue.Instance,
        };
        return value is not NoValue;
    }

    public GoFunction? GetMethod(string name) => null;
    public string Format() => "&{" + kube.Format() + " " + apis.Format() + "}";
}

internal sealed class KubeVersionObject(string version) : IGoObject, IJsonValue
{
    private readonly SemVersion _v = SemVersion.TryParse(version) ?? SemVersion.Parse("v1.20.0");

    public string Version => "v" + _v.Major + "." + _v.Minor + "." + _v.Patch + (_v.Prerelease.Length > 0 ? "-" + _v.Prerelease : "");
    public string GoTypeName => "chartutil.KubeVersion";

    public bool TryGetField(string name, out object? value)
    {
        value = name switch
        {
            "Version" or "GitVersion" => Version,
            "Major" => _v.Major.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "Minor" => _v.Minor.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => NoValue.Instance,
        };
        return value is not NoValue;
    }

    public GoFunction? GetMethod(string name) => name == "String" ? GoFunction.Of(name, "", (_, _) => Version) : null;
    public string Format() => Version;
    public object? ToJsonValue() => new Dictionary<string, object?> { ["Version"] = Version, ["Major"] = _v.Major.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Minor"] = _v.Minor.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}

internal sealed class VersionSetObject(IReadOnlyCollection<string> versions) : IGoObject, IJsonValue
{
    private readonly HashSet<string> _set = new(versions, StringComparer.Ordinal);

    public string GoTypeName => "chartutil.VersionSet";
    public bool TryGetField(string name, out object? value) { value = null; return false; }
    public GoFunction? GetMethod(string name) => name == "Has" ? GoFunction.Of(name, "s", (_, a) => _set.Contains((string)a[0]!)) : null;
    public string Format() => "[" + string.Join(' ', versions) + "]";
    public object? ToJsonValue() => versions.Select(v => (object?)v).ToList();

    /// <summary>The built-in group/versions (and group/version/Kind) of a v1.20 cluster, as Helm's default set.</summary>
    public static IReadOnlyList<string> Defaults()
    {
        (string Gv, string[] Kinds)[] groups =
        [
            ("v1", ["ConfigMap", "Endpoints", "Event", "LimitRange", "Namespace", "Node", "PersistentVolume", "PersistentVolumeClaim", "Pod", "PodTemplate", "ReplicationController", "ResourceQuota", "Secret", "Service", "ServiceAccount"]),
            ("admissionregistration.k8s.io/v1", ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]),
            ("admissionregistration.k8s.io/v1beta1", ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]),
            ("apiextensions.k8s.io/v1", ["CustomResourceDefinition"]), ("apiextensions.k8s.io/v1beta1", ["CustomResourceDefinition"]),
            ("apiregistration.k8s.io/v1", ["APIService"]), ("apiregistration.k8s.io/v1beta1", ["APIService"]),
            ("apps/v1", ["ControllerRevision", "DaemonSet", "Deployment", "ReplicaSet", "StatefulSet"]),
            ("authentication.k8s.io/v1", ["TokenReview"]), ("authorization.k8s.io/v1", ["SubjectAccessReview", "SelfSubjectAccessReview", "LocalSubjectAccessReview"]),
            ("autoscaling/v1", ["HorizontalPodAutoscaler"]), ("autoscaling/v2", ["HorizontalPodAutoscaler"]),
            ("autoscaling/v2beta1", ["HorizontalPodAutoscaler"]), ("autoscaling/v2beta2", ["HorizontalPodAutoscaler"]),
            ("batch/v1", ["CronJob", "Job"]), ("batch/v1beta1", ["CronJob"]),
            ("certificates.k8s.io/v1", ["CertificateSigningRequest"]), ("certificates.k8s.io/v1beta1", ["CertificateSigningRequest"]),
            ("coordination.k8s.io/v1", ["Lease"]), ("coordination.k8s.io/v1beta1", ["Lease"]),
            ("discovery.k8s.io/v1", ["EndpointSlice"]), ("discovery.k8s.io/v1beta1", ["EndpointSlice"]),
            ("events.k8s.io/v1", ["Event"]), ("events.k8s.io/v1beta1", ["Event"]),
            ("extensions/v1beta1", ["Ingress"]),
            ("flowcontrol.apiserver.k8s.io/v1beta1", ["FlowSchema", "PriorityLevelConfiguration"]),
            ("networking.k8s.io/v1", ["Ingress", "IngressClass", "NetworkPolicy"]), ("networking.k8s.io/v1beta1", ["Ingress", "IngressClass"]),
            ("node.k8s.io/v1", ["RuntimeClass"]), ("node.k8s.io/v1beta1", ["RuntimeClass"]),
            ("policy/v1", ["PodDisruptionBudget"]), ("policy/v1beta1", ["PodDisruptionBudget", "PodSecurityPolicy"]),
            ("rbac.authorization.k8s.io/v1", ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"]),
            ("rbac.authorization.k8s.io/v1beta1", ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"]),
            ("scheduling.k8s.io/v1", ["PriorityClass"]), ("scheduling.k8s.io/v1beta1", ["PriorityClass"]),
            ("storage.k8s.io/v1", ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"]),
            ("storage.k8s.io/v1beta1", ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"]),
        ];
        var list = new List<string>();
        foreach (var (gv, kinds) in groups)
        {
            list.Add(gv);
            list.AddRange(kinds.Select(k => gv + "/" + k));
        }
        return list;
    }
}

