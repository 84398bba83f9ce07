using System.Text.Json.Nodes;
using GitOps.Engine.Tracking;

namespace GitOps.Engine.Diff;

/// <summary>How one object differs between two sets of manifests.</summary>
public enum ObjectChangeType
{
    Added,
    Removed,
    Changed,
}

/// <summary>One object that differs: its unified YAML diff (Secret values masked) from the old set to the new.</summary>
public sealed record ObjectChange(ResourceKey Key, ObjectChangeType Type, string Diff);

/// <summary>
/// Compares two rendered sets (two revisions of an app, or a render against what is live) object by object, with
/// the comparison's normalisation, Secret masking and unified diff — what `gitops preview` prints.
/// </summary>
public static class ManifestSetDiff
{
    /// <summary>The objects added, removed and changed from <paramref name="from"/> to <paramref name="to"/>, in key
    /// order; equal objects are left out. Labels prefix each diff's file names (e.g. "base", "head").</summary>
    public static IReadOnlyList<ObjectChange> Compare(IEnumerable<JsonObject> from, IEnumerable<JsonObject> to,
        string fromLabel, string toLabel)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var before = Index(from);
        var after = Index(to);
        var changes = new List<ObjectChange>();
        foreach (var key in before.Keys.Union(after.Keys).Order())
        {
            var a = before.TryGetValue(key, out var x) ? Normalizer.Normalize(x) : null;
            var b = after.TryGetValue(key, out var y) ? Normalizer.Normalize(y) : null;
            if (a is not null && b is not null && JsonCompare.Equal(a, b))
            {
                continue;
            }

            if (SecretMasker.IsSecret(a) || SecretMasker.IsSecret(b))
            {
                SecretMasker.MaskPair(a, b);
            }

            var type = a is null ? ObjectChangeType.Added : b is null ? ObjectChangeType.Removed : ObjectChangeType.Changed;
            var diff = UnifiedDiff.Create(YamlText.Write(a), YamlText.Write(b),
                a is null ? "/dev/null" : $"{fromLabel}/{key}", b is null ? "/dev/null" : $"{toLabel}/{key}");
            changes.Add(new ObjectChange(key, type, diff));
        }

        return changes;
    }

    // A render never holds one key twice (the renderers refuse it); if it did, the last would win, as in an apply.
    private static Dictionary<ResourceKey, JsonObject> Index(IEnumerable<JsonObject> objects)
    {
        var index = new Dictionary<ResourceKey, JsonObject>();
        foreach (var obj in objects)
        {
            index[Tracker.KeyOf(obj)] = obj;
        }

        return index;
    }
}
