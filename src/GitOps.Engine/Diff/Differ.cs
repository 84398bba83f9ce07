using System.Text.Json.Nodes;

namespace GitOps.Engine.Diff;

internal sealed record DiffOutcome(bool Equal, string Diff, string Patch);

/// <summary>Normalise, apply ignore rules, mask Secrets, then produce a unified YAML diff and a JSON Patch
/// (live → target).</summary>
internal static class Differ
{
    private static readonly DiffOutcome Unexplained = new(false, "", "[]");

    public static IReadOnlyList<IgnoreDifference> RulesFor(ResourceKey key, IReadOnlyList<IgnoreDifference> rules) =>
        rules.Where(r => (r.Group is null || r.Group == key.Group) && (r.Kind is null || r.Kind == key.Kind)
            && (r.Name is null || r.Name == key.Name) && (r.Namespace is null || r.Namespace == key.Namespace)).ToList();

    /// <param name="explain">Write the diff and the patch of unequal objects; false when only equality matters (a sync
    /// applies what is unequal and shows no diff), which spares a cold apply a YAML diff of every new object.</param>
    public static DiffOutcome Compare(ResourceKey key, JsonObject? live, JsonObject target, IReadOnlyList<IgnoreDifference> rules,
        bool explain = true)
    {
        if (live is null && !explain)
        {
            return Unexplained;
        }

        var a = live is null ? null : Normalizer.Normalize(live);
        var b = Normalizer.Normalize(target);
        foreach (var rule in rules)
        {
            foreach (var pointer in rule.JsonPointers ?? [])
            {
                if (a is not null)
                {
                    JsonPointer.Remove(a, pointer);
                }

                JsonPointer.Remove(b, pointer);
            }

            foreach (var manager in rule.ManagedFieldsManagers ?? [])
            {
                if (live is not null && FieldSet.Owned(live, manager) is { } owned)
                {
                    FieldSet.Remove(a!, owned);
                    FieldSet.Remove(b, owned);
                }
            }
        }

        var equal = a is not null && JsonCompare.Equal(a, b);
        if (equal)
        {
            return new DiffOutcome(true, "", "[]");
        }

        if (!explain)
        {
            return Unexplained;
        }

        if (SecretMasker.IsSecret(target) || SecretMasker.IsSecret(live))
        {
            SecretMasker.MaskPair(a, b);
        }

        var diff = UnifiedDiff.Create(YamlText.Write(a), YamlText.Write(b), $"live/{key}", $"desired/{key}");
        var patch = PatchBuilder.Build(a, b).ToJsonString();
        return new DiffOutcome(false, diff, patch);
    }
}
