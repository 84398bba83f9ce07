using System.Text.Json.Nodes;

namespace GitOps.Engine;

/// <summary>Where an app's objects go: the app's name (its tracking mark) and the namespace that namespaced
/// objects without one are put in.</summary>
public sealed record AppTarget(string Name, string DestinationNamespace);

/// <summary>apiVersion strings, split once for the engine and its callers.</summary>
public static class ApiVersions
{
    /// <summary>"apps/v1" → ("apps", "v1"); the core group's "v1" → ("", "v1").</summary>
    public static (string Group, string Version) Split(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }
}

/// <summary>Identity of one Kubernetes object (group without version, so a version change is the same object).</summary>
public sealed record ResourceKey(string Group, string Kind, string? Namespace, string Name) : IComparable<ResourceKey>
{
    public override string ToString() =>
        $"{(Group.Length == 0 ? "" : Group + "/")}{Kind}/{(Namespace is null ? "" : Namespace + "/")}{Name}";

    public int CompareTo(ResourceKey? other) =>
        other is null ? 1 : string.CompareOrdinal(ToString(), other.ToString());
}

/// <summary>
/// The objects a render produced. There is deliberately no way to build one from a failed render: the
/// controller only gets a <see cref="DesiredSet"/> when rendering (and the git fetch) succeeded, so the engine
/// can never prune on a broken render.
/// </summary>
public sealed class DesiredSet
{
    private DesiredSet(IReadOnlyList<JsonObject> objects, string revision)
    {
        Objects = objects;
        Revision = revision;
    }

    public IReadOnlyList<JsonObject> Objects { get; }

    /// <summary>The source revision the objects were rendered from (for the operation log).</summary>
    public string Revision { get; }

    public static DesiredSet FromSuccessfulRender(IReadOnlyList<JsonObject> objects, string revision)
    {
        ArgumentNullException.ThrowIfNull(objects);
        return new DesiredSet(objects, revision);
    }
}

/// <summary>Ignore a difference: a JSON pointer (RFC 6901, into the normalised object), and/or every field a
/// given field manager owns (e.g. "kube-controller-manager" or an HPA controller owning /spec/replicas).
/// Group/Kind/Name/Namespace narrow the rule; null matches all.</summary>
public sealed record IgnoreDifference(
    string? Group = null,
    string? Kind = null,
    string? Name = null,
    string? Namespace = null,
    IReadOnlyList<string>? JsonPointers = null,
    IReadOnlyList<string>? ManagedFieldsManagers = null);

/// <summary>Where an app's objects may go (its project's tenancy boundary): namespaces (globs) for namespaced
/// objects and group/kind globs for cluster-scoped ones. An object outside it is an error before anything is
/// applied. Null in the options = unrestricted.</summary>
public sealed record ResourceBoundary(IReadOnlyList<string> Namespaces, IReadOnlyList<ClusterKind> ClusterKinds)
{
    /// <summary>Why the object may not be written, or null when it may.</summary>
    public string? Violation(ResourceKey key) => key.Namespace is { } ns
        ? Namespaces.Any(n => Glob.Matches(n, ns)) ? null
            : $"{key}: namespace \"{ns}\" is not a destination of the app's project"
        : ClusterKinds.Any(c => Glob.Matches(c.Group, key.Group) && Glob.Matches(c.Kind, key.Kind)) ? null
            : $"{key}: cluster-scoped kind {(key.Group.Length == 0 ? "" : key.Group + "/")}{key.Kind} is not allowed by the app's project";
}

/// <summary>A cluster-scoped kind a project allows: group ("" = core) and kind, each a glob.</summary>
public sealed record ClusterKind(string Group, string Kind);

/// <summary>Shell-style globs for names (`*` any run, `?` one character; no path semantics), as Argo CD's
/// project patterns.</summary>
public static class Glob
{
    public static bool Matches(string pattern, string value)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(value);
        // Iterative match with one backtrack point: linear in practice, no regex, no catastrophic backtracking.
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == value[v]))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}

public sealed record ComparisonOptions
{
    public IReadOnlyList<IgnoreDifference> IgnoreDifferences { get; init; } = [];

    /// <summary>Existing objects without our tracking mark may be taken over (see <see cref="SyncOptions.AdoptExisting"/>).</summary>
    public bool AdoptExisting { get; init; }

    /// <summary>Where the app's objects may go; null = anywhere.</summary>
    public ResourceBoundary? Boundary { get; init; }
}

public enum PropagationPolicy
{
    Background,
    Foreground,
    Orphan,
}

public sealed record SyncOptions
{
    public IReadOnlyList<IgnoreDifference> IgnoreDifferences { get; init; } = [];

    /// <summary>Delete tracked objects that are no longer desired (after applying, in reverse order).</summary>
    public bool Prune { get; init; }

    /// <summary>An empty desired set prunes nothing unless this is set.</summary>
    public bool AllowEmpty { get; init; }

    public PropagationPolicy PrunePropagation { get; init; } = PropagationPolicy.Foreground;

    /// <summary>Force server-side-apply conflicts with other field managers.</summary>
    public bool Force { get; init; } = true;

    /// <summary>Create the destination namespace when missing.</summary>
    public bool CreateNamespace { get; init; }

    /// <summary>On an immutable-field error, delete and recreate the object (per object also through the
    /// annotation gitops.dev/sync-options: Replace=true).</summary>
    public bool ReplaceOnImmutableError { get; init; }

    /// <summary>Apply every desired object even when it is in sync (a "hard" sync).</summary>
    public bool ApplyUnchanged { get; init; }

    /// <summary>How long to wait for hooks to finish, for CRDs to be Established, for a wave to be healthy
    /// before the next one, and for the app to be healthy before PostSync hooks.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Validate the whole desired set before the first write: objects that do not exist yet are
    /// server-side dry-run too (in parallel, <see cref="MaxConcurrency"/> at a time; objects that exist always
    /// are), so a sync either passes validation as a whole or writes nothing. Objects in a Namespace of the set that
    /// does not exist yet cannot be dry-run (the server answers NotFound): they get no call before their write, which
    /// validates them. On by default; off trades that for one GET per new object instead of a dry run (the GET still
    /// finds unmarked objects, see <see cref="AdoptExisting"/>), and a new object the server rejects then fails the
    /// sync midway.</summary>
    public bool DryRunNewObjects { get; init; } = true;

    /// <summary>The comparison of the same app made just before this sync (the controller compares, then syncs
    /// in one pass). While none of the app's watched objects changed since, its successful dry runs of objects
    /// the server did not have are taken as this sync's validation of them: a cold start then costs one dry run
    /// and one write per object instead of two dry runs and a write. Objects are still compared one by one
    /// (same desired content) and the write itself is checked by the server as ever.</summary>
    public ComparisonResult? Basis { get; init; }

    /// <summary>Take over existing objects that carry no tracking mark (per object also through the annotation
    /// gitops.dev/sync-options: AdoptExisting=true). Off: such an object is reported and left alone, and the sync
    /// writes nothing.</summary>
    public bool AdoptExisting { get; init; }

    /// <summary>Where the app's objects (hooks included) may go; null = anywhere. An object outside fails the sync
    /// before anything is written.</summary>
    public ResourceBoundary? Boundary { get; init; }

    /// <summary>Parallel API calls within one ordering group. The server needs about this many in flight to reach its
    /// own throughput on a cold apply (16 left it ~20 % short); the engine as a whole never has more than 64 calls in
    /// flight, however many syncs run side by side.</summary>
    public int MaxConcurrency { get; init; } = 64;

    /// <summary>Called (and awaited) as a sync with hooks or more than one wave reaches each stage, so a caller can
    /// show where a long sync is; a sync of one wave and no hooks reports nothing.</summary>
    public Func<SyncProgress, CancellationToken, Task>? OnProgress { get; init; }
}

/// <summary>The stage a running sync has reached.</summary>
public enum SyncStage
{
    PreSyncHooks,
    Wave,
    Prune,
    PostSyncHooks,
}

/// <summary>Where a running sync is: a stage, and for <see cref="SyncStage.Wave"/> which wave of how many.</summary>
public sealed record SyncProgress(SyncStage Stage, int Wave = 0, int WaveNumber = 0, int WaveCount = 0)
{
    public override string ToString() => Stage switch
    {
        SyncStage.PreSyncHooks => "PreSync hooks",
        SyncStage.Wave => $"wave {Wave} ({WaveNumber} of {WaveCount})",
        SyncStage.Prune => "pruning",
        _ => "PostSync hooks",
    };
}

/// <summary>How live compares with desired. One vocabulary from the engine to the API: a resource is Synced,
/// OutOfSync, Missing (desired, not live) or Extraneous (live and tracked, no longer desired); an app is Synced,
/// OutOfSync or Unknown (not compared: invalid spec, failed fetch/render/comparison).</summary>
public enum SyncState
{
    Unknown,
    Synced,
    OutOfSync,
    Missing,
    Extraneous,
}

public enum HealthState
{
    // Declared best to worst: aggregation takes the maximum.
    Healthy,
    Suspended,
    Progressing,
    Missing,
    Degraded,
    Unknown,
}

public sealed record ResourceHealth(HealthState State, string? Message = null)
{
    public static ResourceHealth Healthy { get; } = new(HealthState.Healthy);
}

/// <summary>One resource's comparison. Diff and Patch are masked for Secrets; Error is set when the object
/// cannot be compared (unknown kind, owned by another app, rejected by the dry run).</summary>
public sealed record ResourceComparison(
    ResourceKey Key,
    string ApiVersion,
    SyncState State,
    ResourceHealth Health,
    string Diff,
    string JsonPatch,
    string? Error = null,
    bool PruneDisabled = false)
{
    /// <summary>Set when the live object carries another app's tracking mark: it is left alone.</summary>
    public string? SharedWith { get; init; }

    /// <summary>Set when the object exists without our tracking mark (or stamped by another installation) and
    /// adoption was not allowed: it is left alone (never applied over, marked or pruned).</summary>
    public bool AdoptionRequired { get; init; }

    /// <summary>With <see cref="AdoptionRequired"/>: the other installation whose ID the object carries, when that
    /// is why it is not ours.</summary>
    public string? ForeignInstallation { get; init; }

    /// <summary>Set when the object is outside the app's <see cref="ResourceBoundary"/> (Error says why).</summary>
    public bool OutsideBoundary { get; init; }
}

public sealed record ComparisonResult(
    AppTarget App,
    IReadOnlyList<ResourceComparison> Resources,
    HealthState Health)
{
    public bool InSync => Resources.All(r => r.State == SyncState.Synced && r.Error is null);

    /// <summary>Dry runs of absent objects, valid while the app's live version is <see cref="LiveVersion"/>
    /// (see <see cref="SyncOptions.Basis"/>); empty when nothing was absent.</summary>
    internal IReadOnlyDictionary<ResourceKey, Sync.AbsentDryRun> AbsentDryRuns { get; init; } =
        System.Collections.ObjectModel.ReadOnlyDictionary<ResourceKey, Sync.AbsentDryRun>.Empty;

    internal long LiveVersion { get; init; }
}

/// <summary>What a sync did (or, in a dry run, would do) to one object: the one action set used from apply to
/// status and API (as Flux's ssa change set). Spelled for people by <see cref="ResourceActions"/>.</summary>
public enum ResourceAction
{
    Created,
    Configured,
    Unchanged,
    Pruned,
    PruneSkipped,
    Failed,
    HookSucceeded,
    HookFailed,
}

/// <summary>The one spelling of each <see cref="ResourceAction"/> in logs, persisted status and the API:
/// lower case, words joined by '-' ("prune-skipped", "hook-succeeded").</summary>
public static class ResourceActions
{
    public static string Name(this ResourceAction action) => action switch
    {
        ResourceAction.Created => "created",
        ResourceAction.Configured => "configured",
        ResourceAction.Unchanged => "unchanged",
        ResourceAction.Pruned => "pruned",
        ResourceAction.PruneSkipped => "prune-skipped",
        ResourceAction.Failed => "failed",
        ResourceAction.HookSucceeded => "hook-succeeded",
        ResourceAction.HookFailed => "hook-failed",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>Reads <see cref="Name"/>'s spelling and, for status written by earlier versions, the same words
    /// without the '-' ("pruneskipped") in any case.</summary>
    public static bool TryParse(string? text, out ResourceAction action)
    {
        var folded = (text ?? "").Replace("-", "", StringComparison.Ordinal);
        foreach (var candidate in Enum.GetValues<ResourceAction>())
        {
            if (string.Equals(candidate.ToString(), folded, StringComparison.OrdinalIgnoreCase))
            {
                action = candidate;
                return true;
            }
        }

        action = default;
        return false;
    }
}

public sealed record ResourceResult(ResourceKey Key, ResourceAction Action, string Message, ResourceHealth Health);

public sealed record OperationLogEntry(DateTimeOffset At, string Phase, string Message, ResourceKey? Key = null);

/// <summary>How a sync operation ended (a history entry's result).</summary>
public enum SyncOutcome
{
    Succeeded,
    Failed,
}

public sealed record SyncResult(
    AppTarget App,
    SyncOutcome Outcome,
    string Message,
    IReadOnlyList<ResourceResult> Resources,
    IReadOnlyList<OperationLogEntry> Log,
    HealthState Health);

public enum LiveChangeType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>A live object of an app changed (for self-heal). Raised from the watch cache.</summary>
public sealed record LiveChange(string App, LiveChangeType Type, ResourceKey Key);

/// <summary>Counts of API calls the engine made (reads include lists; writes exclude dry runs).</summary>
public sealed record ApiCallCounts(long Reads, long DryRuns, long Writes);
