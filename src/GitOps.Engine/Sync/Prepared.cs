using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Engine.Cluster;
using GitOps.Engine.Tracking;

namespace GitOps.Engine.Sync;

[Flags]
internal enum HookPhase
{
    None = 0,
    PreSync = 1,
    Sync = 2,
    PostSync = 4,
    SyncFail = 8,
}

[Flags]
internal enum HookDeletePolicy
{
    None = 0,
    BeforeHookCreation = 1,
    HookSucceeded = 2,
    HookFailed = 4,
}

/// <summary>A desired object ready to apply: namespace resolved, ports defaulted, marks stamped. Type is null
/// while its CRD is still to be applied in this sync.</summary>
internal sealed record Prepared(ResourceKey Key, ResourceType? Type, JsonObject Object, int Wave, HookPhase Hook,
    HookDeletePolicy DeletePolicy)
{
    /// <summary>A hook with metadata.generateName only: created with POST, never applied or pre-deleted.</summary>
    public bool Generated { get; init; }

    public string ApiVersion => Obj.Str(Object, "apiVersion") ?? "";

    public bool IsHook => Hook != HookPhase.None;

    public (int Wave, int Rank, string Ns, string Name) OrderKey => SyncOrder.Key(Wave, Key);
}

internal sealed class PrepareException(string message) : Exception(message);

/// <summary>Turns rendered objects into <see cref="Prepared"/> ones, stamped with the app's tracking mark and the
/// engine's installation ID (when it has one); any invalid object fails the whole set.</summary>
internal sealed class Preparer(ApiDiscovery discovery, string? installationId)
{
    public async Task<IReadOnlyList<Prepared>> PrepareAsync(AppTarget app, IReadOnlyList<JsonObject> desired,
        CancellationToken ct)
    {
        // Kinds defined by CRDs in this same set: their objects wait for the CRD instead of failing.
        var pendingKinds = desired.Where(o => Obj.Str(o, "kind") == "CustomResourceDefinition")
            .SelectMany(crd => ((Obj.O(crd, "spec")?["versions"] as JsonArray) ?? []).OfType<JsonObject>()
                .Select(v => ($"{Obj.Str(crd, "spec", "group")}/{Obj.Str(v, "name")}", Obj.Str(crd, "spec", "names", "kind") ?? "",
                    Obj.Str(crd, "spec", "scope") != "Cluster")))
            .ToDictionary(t => (t.Item1, t.Item2), t => t.Item3);

        var result = new List<Prepared>();
        var seen = new HashSet<ResourceKey>();
        foreach (var source in desired)
        {
            var obj = source.DeepClone().AsObject();
            var apiVersion = Obj.Str(obj, "apiVersion");
            var kind = Obj.Str(obj, "kind");
            var name = Obj.Str(obj, "metadata", "name");
            var generated = false;
            if (string.IsNullOrEmpty(name) && Obj.Annotation(obj, Marks.Hook) is not null
                && Obj.Str(obj, "metadata", "generateName") is { Length: > 0 } generateName)
            {
                // A hook named by the server: a new object every run (the key carries the prefix only).
                name = generateName;
                generated = true;
            }

            if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(name))
            {
                throw new PrepareException($"an object lacks apiVersion, kind or metadata.name ({apiVersion}/{kind} {name})");
            }

            var type = await discovery.ResolveAsync(apiVersion, kind, ct).ConfigureAwait(false);
            bool namespaced;
            if (type is not null)
            {
                namespaced = type.Namespaced;
            }
            else if (pendingKinds.TryGetValue((apiVersion, kind), out var crdNamespaced))
            {
                namespaced = crdNamespaced;
            }
            else
            {
                throw new PrepareException($"the server does not serve {kind} in {apiVersion} (object {name})");
            }

            var meta = Obj.Metadata(obj);
            if (namespaced)
            {
                if (string.IsNullOrEmpty(Obj.Str(meta, "namespace")))
                {
                    meta["namespace"] = app.DestinationNamespace;
                }
            }
            else
            {
                meta.Remove("namespace");
            }

            var (group, _) = ApiVersions.Split(apiVersion);
            var key = new ResourceKey(group, kind, namespaced ? Obj.Str(meta, "namespace") : null, name);
            if (!seen.Add(key))
            {
                throw new PrepareException($"{key} appears twice in the desired set");
            }

            PortDefaults.Apply(obj);
            if (kind == "ClusterRole" && obj.ContainsKey("aggregationRule"))
            {
                // kube-controller-manager owns the rules of an aggregated role: applying them (even empty)
                // conflicts, and forcing wipes the aggregated rules. Leave them out so we never own them.
                obj.Remove("rules");
            }

            Tracker.Stamp(obj, app.Name, key, installationId);
            result.Add(new Prepared(key, type, obj, Wave(obj, key), Phases(obj), DeletePolicies(obj)) { Generated = generated });
        }

        return result;
    }

    private static int Wave(JsonObject obj, ResourceKey key)
    {
        var text = Obj.Annotation(obj, Marks.SyncWave);
        if (text is null)
        {
            return 0;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var wave)
            ? wave
            : throw new PrepareException($"{key}: {Marks.SyncWave} must be an integer, got \"{text}\"");
    }

    private static HookPhase Phases(JsonObject obj)
    {
        var phases = HookPhase.None;
        foreach (var p in Split(Obj.Annotation(obj, Marks.Hook)))
        {
            phases |= Enum.TryParse<HookPhase>(p, ignoreCase: true, out var phase) ? phase
                : throw new PrepareException($"unknown hook phase \"{p}\" on {Obj.Str(obj, "metadata", "name")}");
        }

        return phases;
    }

    private static HookDeletePolicy DeletePolicies(JsonObject obj)
    {
        var policies = HookDeletePolicy.None;
        foreach (var p in Split(Obj.Annotation(obj, Marks.HookDeletePolicy)))
        {
            policies |= Enum.TryParse<HookDeletePolicy>(p.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var policy)
                ? policy
                : throw new PrepareException($"unknown hook delete policy \"{p}\" on {Obj.Str(obj, "metadata", "name")}");
        }

        return policies == HookDeletePolicy.None ? HookDeletePolicy.BeforeHookCreation : policies;
    }

    private static string[] Split(string? text) =>
        text?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
}

/// <summary>Kubernetes 1.20 server-side apply rejects list items missing `protocol` (a key of the ports list);
/// the server would default it to TCP anyway, so adding it changes nothing and never shows as a diff.</summary>
internal static class PortDefaults
{
    public static void Apply(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key == "ports" && value is JsonArray ports)
                    {
                        foreach (var port in ports.OfType<JsonObject>())
                        {
                            if (!port.ContainsKey("protocol") && (port.ContainsKey("containerPort") || port.ContainsKey("port")))
                            {
                                port["protocol"] = "TCP";
                            }
                        }
                    }
                    else
                    {
                        Apply(value);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Apply(item);
                }

                break;
        }
    }
}
