using System.Globalization;
using System.Text.Json.Nodes;

namespace GitOps.Rendering.Helm.Chart;

/// <summary>Helm hooks as the sync engine's hooks, the way Argo CD maps them: pre-install/pre-upgrade run PreSync,
/// post-install/post-upgrade PostSync, helm.sh/hook-weight is the wave and helm.sh/hook-delete-policy the delete
/// policy. Test, delete and rollback hooks have no sync phase and are left out. A chart's own gitops.dev marks win.</summary>
internal static class HookPhases
{
    // The engine's annotations (GitOps.Engine.Marks); rendering does not reference the engine.
    private const string Hook = "gitops.dev/hook";
    private const string DeletePolicy = "gitops.dev/hook-delete-policy";
    private const string Wave = "gitops.dev/sync-wave";

    private static readonly HashSet<string> DeletePolicies = new(StringComparer.Ordinal) { "before-hook-creation", "hook-succeeded", "hook-failed" };

    /// <summary>The object with the engine's hook marks added; null when the hook never runs in a sync.</summary>
    public static JsonObject? Map(JsonObject obj)
    {
        if (obj["metadata"]?["annotations"] is not JsonObject annotations) return obj;
        if (annotations.ContainsKey(Hook)) return obj;
        var events = Split(annotations["helm.sh/hook"]);
        var phases = new List<string>();
        if (events.Any(e => e is "pre-install" or "pre-upgrade")) phases.Add("PreSync");
        if (events.Any(e => e is "post-install" or "post-upgrade")) phases.Add("PostSync");
        if (phases.Count == 0) return null;
        annotations[Hook] = string.Join(',', phases);
        // Helm ignores delete policies it does not know; so do we, rather than failing the sync on them.
        var policies = Split(annotations["helm.sh/hook-delete-policy"]).Where(DeletePolicies.Contains).ToList();
        if (policies.Count > 0 && !annotations.ContainsKey(DeletePolicy)) annotations[DeletePolicy] = string.Join(',', policies);
        // Helm reads a weight it cannot parse as 0, the default wave.
        if (annotations["helm.sh/hook-weight"] is JsonValue w && w.TryGetValue<string>(out var weight)
            && int.TryParse(weight.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var wave)
            && !annotations.ContainsKey(Wave))
            annotations[Wave] = wave.ToString(CultureInfo.InvariantCulture);
        return obj;
    }

    private static List<string> Split(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue<string>(out var s)
            ? s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(x => x.ToLowerInvariant()).ToList()
            : [];
}
