using System.Text.Json.Nodes;

namespace GitOps.Rendering.Kustomize.Patching;

/// <summary>Strategic merge patch as kustomize applies it: maps merge, `null` deletes, lists of built-in kinds
/// merge by their merge key (patch elements first in patch order, then untouched originals), other lists are
/// replaced; `$patch`, `$retainKeys`, `$setElementOrder/…` and `$deleteFromPrimitiveList/…` directives.</summary>
internal static class StrategicMerge
{
    private static readonly HashSet<string> BuiltinGroups =
    [
        "", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "rbac.authorization.k8s.io", "storage.k8s.io",
        "scheduling.k8s.io", "apiextensions.k8s.io", "admissionregistration.k8s.io", "coordination.k8s.io",
        "discovery.k8s.io", "node.k8s.io", "certificates.k8s.io", "events.k8s.io", "extensions", "apiregistration.k8s.io",
        "flowcontrol.apiserver.k8s.io", "resource.k8s.io",
    ];

    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name", ["initContainers"] = "name", ["ephemeralContainers"] = "name", ["env"] = "name",
        ["volumes"] = "name", ["volumeMounts"] = "mountPath", ["volumeDevices"] = "devicePath",
        ["imagePullSecrets"] = "name", ["hostAliases"] = "ip", ["conditions"] = "type",
        ["topologySpreadConstraints"] = "topologyKey", ["ownerReferences"] = "uid", ["resourceClaims"] = "name",
        ["readinessGates"] = "conditionType", ["schedulingGates"] = "name",
    };

    private static readonly HashSet<string> MergedPrimitiveLists = ["finalizers"];

    public static bool IsBuiltin(string group) => BuiltinGroups.Contains(group);

    /// <summary>Merges <paramref name="patch"/> into <paramref name="target"/> (in place) and returns the result;
    /// null when the patch deletes the whole object.</summary>
    public static JsonObject? Apply(JsonObject target, JsonObject patch, bool builtin)
    {
        if (Directive(patch) == "delete")
        {
            return null;
        }

        return MergeMap(target, patch, builtin);
    }

    private static string? Directive(JsonObject map) => map["$patch"] is JsonValue v ? v.ToString() : null;

    private static JsonObject MergeMap(JsonObject dst, JsonObject patch, bool builtin)
    {
        switch (Directive(patch))
        {
            case "replace":
                var replaced = (JsonObject)patch.DeepClone();
                replaced.Remove("$patch");
                return replaced;
            case "delete":
                return [];
        }

        List<string>? retain = null;
        foreach (var (key, value) in patch)
        {
            if (key == "$patch")
            {
                continue;
            }

            if (key == "$retainKeys")
            {
                retain = value is JsonArray a ? [.. a.Select(x => x?.ToString() ?? "")] : [];
                continue;
            }

            if (key.StartsWith("$setElementOrder/", StringComparison.Ordinal) || key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                continue;
            }

            if (value is null)
            {
                dst.Remove(key);
                continue;
            }

            var existing = dst[key];
            switch (value)
            {
                case JsonObject pm when pm.Count > 0 && Directive(pm) == "delete":
                    dst.Remove(key);
                    break;
                case JsonObject pm when existing is JsonObject em:
                    var merged = MergeMap(em, pm, builtin);
                    if (!ReferenceEquals(merged, em))
                    {
                        dst[key] = merged;
                    }

                    break;
                case JsonObject pm:
                    var fresh = MergeMap([], pm, builtin);
                    dst[key] = fresh;
                    break;
                case JsonArray pa when existing is JsonArray ea:
                    dst[key] = MergeList(key, ea, pa, builtin);
                    break;
                case JsonArray pa:
                    dst[key] = MergeList(key, [], pa, builtin);
                    break;
                default:
                    dst[key] = value.DeepClone();
                    break;
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal) && dst[key[25..]] is JsonArray list && value is JsonArray remove)
            {
                var drop = remove.Select(r => r?.ToJsonString()).ToHashSet();
                foreach (var item in list.Where(i => drop.Contains(i?.ToJsonString())).ToList())
                {
                    list.Remove(item);
                }
            }
            else if (key.StartsWith("$setElementOrder/", StringComparison.Ordinal) && dst[key[17..]] is JsonArray target && value is JsonArray order)
            {
                dst[key[17..]] = Reorder(key[17..], target, order, builtin);
            }
        }

        if (retain is not null)
        {
            foreach (var key in dst.Select(p => p.Key).Where(k => !retain.Contains(k)).ToList())
            {
                dst.Remove(key);
            }
        }

        return dst;
    }

    private static string? KeyFor(string field, JsonArray a, JsonArray b, bool builtin)
    {
        if (!builtin)
        {
            return null;
        }

        if (field == "ports")
        {
            var any = a.Concat(b).OfType<JsonObject>().FirstOrDefault();
            return any is null ? null : any.ContainsKey("containerPort") ? "containerPort" : any.ContainsKey("port") ? "port" : null;
        }

        return MergeKeys.GetValueOrDefault(field);
    }

    private static JsonArray MergeList(string field, JsonArray dst, JsonArray patch, bool builtin)
    {
        var mergeKey = KeyFor(field, dst, patch, builtin);
        if (patch.OfType<JsonObject>().Any(o => Directive(o) == "replace"))
        {
            return [.. patch.Where(p => p is not JsonObject o || Directive(o) != "replace").Select(p => p?.DeepClone())];
        }

        if (mergeKey is null)
        {
            if (builtin && MergedPrimitiveLists.Contains(field) && patch.All(p => p is JsonValue))
            {
                var seen = patch.Select(p => p!.ToJsonString()).ToHashSet();
                return [.. patch.Select(p => p!.DeepClone()), .. dst.Where(d => d is null || !seen.Contains(d.ToJsonString())).Select(d => d?.DeepClone())];
            }

            return (JsonArray)patch.DeepClone();
        }

        var remaining = dst.Select(d => d?.DeepClone()).ToList();
        var result = new List<JsonNode?>();
        foreach (var p in patch)
        {
            if (p is not JsonObject po)
            {
                result.Add(p?.DeepClone());
                continue;
            }

            var key = po[mergeKey]?.ToJsonString();
            var index = key is null ? -1 : remaining.FindIndex(d => d is JsonObject o && o[mergeKey]?.ToJsonString() == key);
            if (Directive(po) == "delete")
            {
                if (index >= 0)
                {
                    remaining.RemoveAt(index);
                }

                continue;
            }

            if (index >= 0)
            {
                result.Add(MergeMap((JsonObject)remaining[index]!, po, builtin));
                remaining.RemoveAt(index);
            }
            else
            {
                result.Add(MergeMap([], po, builtin));
            }
        }

        result.AddRange(remaining);
        return [.. result];
    }

    private static JsonArray Reorder(string field, JsonArray list, JsonArray order, bool builtin)
    {
        var mergeKey = KeyFor(field, list, order, builtin);
        string? Key(JsonNode? n) => mergeKey is null ? n?.ToJsonString() : n?[mergeKey]?.ToJsonString();
        var items = list.Select(i => i?.DeepClone()).ToList();
        var ordered = new List<JsonNode?>();
        foreach (var o in order)
        {
            var k = Key(o);
            var i = items.FindIndex(x => Key(x) == k);
            if (i >= 0)
            {
                ordered.Add(items[i]);
                items.RemoveAt(i);
            }
        }

        return [.. ordered, .. items];
    }
}
