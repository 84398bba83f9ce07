using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using GitOps.Engine.Cache;
using GitOps.Engine.Cluster;
using GitOps.Engine.Diff;
using GitOps.Engine.Health;

namespace GitOps.Engine.Sync;

/// <summary>One desired object compared with its live state.</summary>
internal sealed record Planned(Prepared Item, LiveObject? Live, SyncState State, DiffOutcome Diff, string? Error,
    bool Pending, bool Immutable)
{
    public ResourceHealth Health => Live?.Health ?? HealthAssessor.Assess(null);

    /// <summary>The other app that owns the live object, when it is not ours.</summary>
    public string? SharedWith { get; init; }

    /// <summary>The live object exists without our mark (or with another installation's) and may not be adopted
    /// (Error says so).</summary>
    public bool AdoptionRequired { get; init; }

    /// <summary>The other installation that stamped the live object, when that is why it is not ours.</summary>
    public string? ForeignInstallation { get; init; }

    /// <summary>The live object exists without our mark and will be adopted by this sync.</summary>
    public bool Adopting { get; init; }

    /// <summary>The object is outside the app's boundary (Error says why).</summary>
    public bool OutsideBoundary { get; init; }

    /// <summary>The successful dry run of an object the server does not have (for a sync that follows).</summary>
    public AbsentDryRun? AbsentDryRun { get; init; }

    public ResourceComparison ToPublic() =>
        new(Comparer.KeyOf(Item, Live), Item.ApiVersion, State, Health, Diff.Diff, Diff.Patch, Error)
        {
            SharedWith = SharedWith,
            AdoptionRequired = AdoptionRequired,
            ForeignInstallation = ForeignInstallation,
            OutsideBoundary = OutsideBoundary,
        };
}

/// <summary>A successful dry run of a desired object (by its hash) that did not exist on the server.</summary>
internal sealed record AbsentDryRun(UInt128 DesiredHash, JsonObject Result);

/// <summary>How a comparison is made: ignore rules, apply force, whether objects not in the cache are dry-run
/// (else looked up with a GET), whether unmarked objects may be adopted, the app's boundary, parallelism, and whether
/// differences are written out (a comparison shows them; a sync only acts on them).</summary>
internal sealed record ComparePolicy(IReadOnlyList<IgnoreDifference> Ignore, bool Force, bool DryRunMissing, bool Adopt,
    ResourceBoundary? Boundary, int Concurrency, bool Explain)
{
    public static ComparePolicy Of(SyncOptions o) =>
        new(o.IgnoreDifferences, o.Force, o.DryRunNewObjects, o.AdoptExisting, o.Boundary, o.MaxConcurrency, Explain: false);

    public static ComparePolicy Of(ComparisonOptions o) =>
        new(o.IgnoreDifferences, Force: true, DryRunMissing: true, o.AdoptExisting, o.Boundary, Concurrency: 16, Explain: true);
}

/// <summary>
/// Compares desired objects with live ones through a server-side-apply dry run. A "synced" verdict is
/// remembered against (desired object, the values our field manager owns in the live object): while both are
/// unchanged the verdict holds, so a steady-state compare needs neither a dry run nor any other API call.
/// Fields other managers own cannot change a dry run's outcome for us, so their churn (status, controller
/// annotations) does not invalidate it.
/// </summary>
internal sealed class Comparer(KubeApi api, LiveStateCache cache, string fieldManager, string? installationId)
{
    /// <summary>The engine's installation ID (null: none), which decides with the tracking mark whose an object is.</summary>
    public string? InstallationId => installationId;

    private readonly ConcurrentDictionary<(string App, ResourceKey Key), Verdict> synced = new();

    /// <summary>A remembered "in sync": for this desired object, with the values our manager owned in the live version
    /// <paramref name="seen"/>. While the object stays at that resourceVersion nothing needs hashing; a later version
    /// holds the verdict when its owned values hash as that version's did. The seen version is hashed only then (most
    /// objects, ConfigMaps above all, never move after our write: a cold apply used to hash every answer for
    /// nothing), and dropped once hashed, so a verdict never keeps an old version alive past its next compare.</summary>
    /// (Hashes as 128-bit values: one verdict per managed object is kept, tens of thousands of them.)
    private sealed class Verdict(UInt128 desired, LiveObject seen)
    {
        // The seen version until its owned hash is needed, then the hash (boxed: read and written without a lock).
        private object state = seen;

        private readonly string? resourceVersion = seen.ResourceVersion;

        public UInt128 Desired { get; } = desired;

        public bool Holds(LiveObject live, string fieldManager)
        {
            if (resourceVersion == live.ResourceVersion)
            {
                return true;
            }

            var current = Volatile.Read(ref state);
            if (current is not StrongBox<UInt128?> owned)
            {
                owned = new StrongBox<UInt128?>(((LiveObject)current).OwnedHash(fieldManager));
                Volatile.Write(ref state, owned);
            }

            return owned.Value is { } hash && live.OwnedHash(fieldManager) == hash;
        }
    }

    /// <summary>Compares every item, <see cref="ComparePolicy.Concurrency"/> at a time. Objects not in the cache
    /// are dry-run when <see cref="ComparePolicy.DryRunMissing"/> (validates them up front, a call each), else
    /// looked up with a GET (an object we never marked is not cached). The set's Namespaces are compared first:
    /// nothing can exist in one that does not exist yet, so objects in it need neither call (the server would
    /// answer a dry run NotFound, a GET too) and cost a cold apply its writes only.</summary>
    /// <param name="known">Dry runs of absent objects made moments ago for this app (the comparison a sync
    /// follows): an object still absent with the same desired hash takes its result instead of another call.</param>
    public async Task<IReadOnlyList<Planned>> CompareAsync(AppTarget app, IReadOnlyList<Prepared> items, ComparePolicy policy,
        CancellationToken ct, IReadOnlyDictionary<ResourceKey, AbsentDryRun>? known = null)
    {
        var results = new Planned[items.Count];
        var namespaces = Enumerable.Range(0, items.Count).Where(i => IsNamespace(items[i].Key)).ToList();
        await CompareEachAsync(namespaces, NoNamespaces).ConfigureAwait(false);
        var absent = namespaces.Where(i => results[i] is { Live: null, Error: null }).Select(i => items[i].Key.Name)
            .ToHashSet(StringComparer.Ordinal);
        await CompareEachAsync(Enumerable.Range(0, items.Count).Except(namespaces), absent).ConfigureAwait(false);
        return results;

        Task CompareEachAsync(IEnumerable<int> indices, IReadOnlySet<string> absentNamespaces) =>
            Parallel.ForEachAsync(indices, new ParallelOptions { MaxDegreeOfParallelism = policy.Concurrency, CancellationToken = ct },
                async (i, token) => results[i] = await CompareOneAsync(app, items[i], policy, absentNamespaces, known, token).ConfigureAwait(false));
    }

    private static readonly IReadOnlySet<string> NoNamespaces = new HashSet<string>();

    private static bool IsNamespace(ResourceKey key) => key is { Group: "", Kind: "Namespace", Namespace: null };

    public async Task<LiveObject?> LiveAsync(Prepared item, CancellationToken ct) => item.Type is null
        ? null
        : (await cache.ForTypeAsync(item.Type, ct).ConfigureAwait(false)).Get(item.Key.Namespace, item.Key.Name);

    /// <summary>Records what an apply returned: the cache sees it at once and it counts as in sync. Returns the
    /// object's key as the cache holds it (see <see cref="KeyOf"/>) and its health, for the sync's result.</summary>
    public async Task<(ResourceKey Key, ResourceHealth Health)> RecordAppliedAsync(AppTarget app, Prepared item, ApiObject applied,
        IReadOnlyList<IgnoreDifference> ignore, CancellationToken ct)
    {
        if (item.Type is null)
        {
            return (item.Key, HealthAssessor.Assess(applied.Object));
        }

        var live = new LiveObject(item.Type, applied, assessHealth: true);
        (await cache.ForTypeAsync(item.Type, ct).ConfigureAwait(false)).Upsert(live);
        var key = KeyOf(item, live);
        synced[(app.Name, key)] = new Verdict(DesiredHash(item, Differ.RulesFor(item.Key, ignore)), live);

        return (key, live.Health);
    }

    public void Forget(AppTarget app, ResourceKey key) => synced.TryRemove((app.Name, key), out _);

    /// <param name="absentNamespaces">Namespaces of the set known not to exist: objects in them do not exist either.</param>
    private async Task<Planned> CompareOneAsync(AppTarget app, Prepared item, ComparePolicy policy, IReadOnlySet<string> absentNamespaces,
        IReadOnlyDictionary<ResourceKey, AbsentDryRun>? known, CancellationToken ct)
    {
        var (ignore, force, dryRunMissing, adopt) = (policy.Ignore, policy.Force, policy.DryRunMissing, policy.Adopt);
        var none = new DiffOutcome(true, "", "[]");
        if (policy.Boundary?.Violation(item.Key) is { } outside)
        {
            // Not even looked up: an object outside the project is never read, dry-run or written.
            return new Planned(item, null, SyncState.OutOfSync, none, outside, false, false) { OutsideBoundary = true };
        }

        if (item.Type is null)
        {
            return new Planned(item, null, SyncState.Missing, none, null, Pending: true, Immutable: false);
        }

        var rules = Differ.RulesFor(item.Key, ignore);
        // Hashed at most once, and only when asked for: by a remembered dry run, a verdict, or one to remember.
        UInt128? hash = null;
        UInt128 DesiredHashOnce() => hash ??= DesiredHash(item, rules);
        var live = await LiveAsync(item, ct).ConfigureAwait(false);
        if (live is null && !item.IsHook && item.Key.Namespace is { } ns && absentNamespaces.Contains(ns))
        {
            // What a dry run would have said (NotFound: its namespace is created by this sync), without asking.
            return new Planned(item, null, SyncState.Missing,
                Differ.Compare(item.Key, null, item.Object, rules, policy.Explain), null, Pending: true, Immutable: false);
        }

        JsonObject? dryRun = null;
        if (live is null && !item.IsHook)
        {
            // The cache holds only labelled objects: one we never marked is found by the dry run (it carries the
            // live resourceVersion) or, without a dry run, by a GET.
            if (dryRunMissing && known?.GetValueOrDefault(item.Key) is { } earlier && earlier.DesiredHash == DesiredHashOnce())
            {
                // Validated moments ago and still not in the cache: the server's answer would be the same.
                dryRun = earlier.Result; // read only: the differ compares normalised copies
            }
            else if (dryRunMissing)
            {
                try
                {
                    dryRun = await DryRunAsync(item, force, ct).ConfigureAwait(false);
                }
                catch (KubeApiException e)
                {
                    return DryRunFailed(item, null, e, rules, policy.Explain);
                }
            }

            if ((!dryRunMissing || Obj.Str(dryRun!, "metadata", "resourceVersion") is { Length: > 0 })
                && await api.GetAsync(item.Type.ObjectPath(item.Key.Namespace, item.Key.Name), ct).ConfigureAwait(false) is { } existing)
            {
                live = new LiveObject(item.Type, existing);
            }
        }

        var owner = live?.OwnerApp(installationId);
        if (owner is not null && owner != app.Name)
        {
            return new Planned(item, live, SyncState.OutOfSync, none,
                $"shared resource: {item.Key} belongs to app \"{owner}\"; it is left alone", false, false) { SharedWith = owner };
        }

        var adopting = false;
        if (live is not null && owner is null && !item.IsHook)
        {
            if (!adopt && !Tracking.Tracker.HasOption(item.Object, AdoptOption))
            {
                return new Planned(item, live, SyncState.OutOfSync, none, AdoptionRequired(item.Key.ToString(), live), false, false)
                {
                    AdoptionRequired = true,
                    ForeignInstallation = live.ForeignInstallation(installationId),
                };
            }

            adopting = true;
        }

        // Ours by its tracking mark but not stamped with our installation ID yet (it predates the ID): out of sync
        // whatever else matches, so the next sync stamps it and no other installation can take it for its own.
        var unstamped = live is not null && installationId is not null && live.InstallationId is null && !item.IsHook;
        if (live is not null && !adopting && !unstamped && synced.TryGetValue((app.Name, item.Key), out var memo) && memo.Desired == DesiredHashOnce()
            && memo.Holds(live, fieldManager))
        {
            return new Planned(item, live, SyncState.Synced, none, null, false, false);
        }

        if (item.IsHook)
        {
            // Hooks are run, not compared: report them as they are.
            return new Planned(item, live, live is null ? SyncState.Missing : SyncState.Synced, none, null, false, false);
        }

        if (live is null && !dryRunMissing)
        {
            return new Planned(item, null, SyncState.Missing, Differ.Compare(item.Key, null, item.Object, rules, policy.Explain), null, false, false);
        }

        if (dryRun is null)
        {
            try
            {
                dryRun = await DryRunAsync(item, force, ct).ConfigureAwait(false);
            }
            catch (KubeApiException e)
            {
                return DryRunFailed(item, live, e, rules, policy.Explain) with { Adopting = adopting };
            }
        }

        if (live is not null && Obj.Str(dryRun, "metadata", "resourceVersion") != live.ResourceVersion
            && await api.GetAsync(item.Type.ObjectPath(item.Key.Namespace, item.Key.Name), ct).ConfigureAwait(false) is { } fresh)
        {
            // The cache lags the server (a controller just wrote): compare with the object the dry run saw.
            live = new LiveObject(item.Type, fresh);
        }

        var absent = live is null && Obj.Str(dryRun, "metadata", "resourceVersion") is not { Length: > 0 }
            ? new AbsentDryRun(DesiredHashOnce(), dryRun)
            : null;
        var outcome = Differ.Compare(item.Key, live?.ToJson(), dryRun, rules, policy.Explain);
        if (live is null)
        {
            return new Planned(item, null, SyncState.Missing, outcome, null, false, false) { AbsentDryRun = absent };
        }

        if (adopting || unstamped)
        {
            // Our mark is not on the live object yet: the object is out of sync whatever else matches.
            return new Planned(item, live, SyncState.OutOfSync, outcome, null, false, false) { Adopting = adopting };
        }

        if (outcome.Equal && live.OwnedHash(fieldManager) is not null)
        {
            synced[(app.Name, KeyOf(item, live))] = new Verdict(DesiredHashOnce(), live);
        }

        return new Planned(item, live, outcome.Equal ? SyncState.Synced : SyncState.OutOfSync, outcome, null, false, false);
    }

    /// <summary>The desired object's key, as the cached live object's instance when it has one: what is kept per
    /// object (verdicts, the app's status) then shares the cache's strings instead of holding copies.</summary>
    internal static ResourceKey KeyOf(Prepared item, LiveObject? live) => live is not null && live.Key == item.Key ? live.Key : item.Key;

    /// <summary>The sync option (and per-object annotation value) that allows taking over an unmarked object.</summary>
    public const string AdoptOption = "AdoptExisting=true";

    /// <summary>Why an existing object (<paramref name="what"/> names it) that is not ours is left alone: it has no
    /// mark of ours, or another installation's.</summary>
    public string AdoptionRequired(string what, LiveObject live) =>
        $"adoption required: {what} exists and " +
        (live.ForeignInstallation(installationId) is { } other
            ? $"belongs to another installation ({Marks.InstallationId}: {other})"
            : "was not created by this app") +
        $"; it is left alone (sync option {AdoptOption} or the annotation {Marks.SyncOptions}: {AdoptOption} takes it over)";

    private async Task<JsonObject> DryRunAsync(Prepared item, bool force, CancellationToken ct) =>
        (await api.ApplyAsync(item.Type!.ObjectPath(item.Key.Namespace, item.Key.Name), item.Object, fieldManager, force, dryRun: true, ct)
            .ConfigureAwait(false)).Object;

    private static Planned DryRunFailed(Prepared item, LiveObject? live, KubeApiException e, IReadOnlyList<IgnoreDifference> rules,
        bool explain)
    {
        var message = SecretMasker.Scrub(e.Message, item.Object);
        var pending = e.IsNotFound; // e.g. its namespace is created by this same sync
        var diff = Differ.Compare(item.Key, live?.ToJson(), item.Object, rules, explain);
        var state = live is null ? SyncState.Missing : SyncState.OutOfSync;
        return new Planned(item, live, state, diff, pending ? null : $"dry run failed: {message}", pending,
            e.IsImmutableFieldError);
    }

    /// <summary>The desired object and the ignore rules that apply to it, hashed as one JSON array.</summary>
    private static UInt128 DesiredHash(Prepared item, IReadOnlyList<IgnoreDifference> rules) => LiveObject.Hash128(writer =>
    {
        item.Object.WriteTo(writer);
        foreach (var rule in rules)
        {
            writer.WriteStringValue(string.Join(',', rule.JsonPointers ?? []));
            writer.WriteStringValue(string.Join(',', rule.ManagedFieldsManagers ?? []));
        }
    });
}
