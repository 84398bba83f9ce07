using GitOps.Engine.Cluster;
using GitOps.Engine.Diff;
using GitOps.Engine.Health;

namespace GitOps.Engine.Sync;

/// <summary>
/// One sync operation: prepare and compare everything first (any invalid object, shared resource or
/// rejected dry run fails the sync before anything changes), then PreSync hooks, waves in order (CRDs
/// established before their custom resources), prune, PostSync hooks once healthy, SyncFail hooks on failure.
/// </summary>
internal static class Syncer
{
    public static async Task<SyncResult> RunAsync(SyncContext ctx, Preparer preparer, DesiredSet desired, CancellationToken ct)
    {
        var options = ctx.Options;
        ctx.Note("start", $"revision {desired.Revision}: {desired.Objects.Count} objects");
        IReadOnlyList<Prepared> prepared;
        // The destination namespace has to exist before the set is validated (the server dry-runs objects in it);
        // when validation then fails, the namespace this sync created, still empty, is removed again.
        var createdNamespace = false;
        try
        {
            if (options.CreateNamespace)
            {
                createdNamespace = await EnsureNamespaceAsync(ctx, ct).ConfigureAwait(false);
            }

            prepared = await preparer.PrepareAsync(ctx.App, desired.Objects, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PrepareException or KubeApiException)
        {
            ctx.Note("prepare", e.Message);
            await RemoveCreatedNamespaceAsync(ctx, createdNamespace, ct).ConfigureAwait(false);
            return Finish(ctx, SyncOutcome.Failed, $"invalid desired state, nothing applied: {e.Message}");
        }

        var hooks = prepared.Where(p => p.IsHook).ToList();
        var resources = prepared.Where(p => !p.IsHook).ToList();
        var known = options.Basis is { AbsentDryRuns.Count: > 0 } basis && basis.App.Name == ctx.App.Name
                    && basis.LiveVersion == ctx.Cache.VersionOf(ctx.App.Name)
            ? basis.AbsentDryRuns
            : null;
        var plan = await ctx.Comparer.CompareAsync(ctx.App, resources, ComparePolicy.Of(options), ct, known).ConfigureAwait(false);

        var blocking = plan.Where(p => p.Error is not null && !(p.Immutable && ctx.ReplaceAllowed(p.Item))).ToList();
        var outsideHooks = hooks.Where(h => options.Boundary?.Violation(h.Key) is not null).ToList();
        var foreignHooks = await ForeignHooksAsync(ctx, hooks.Except(outsideHooks).ToList(), ct).ConfigureAwait(false);
        if (blocking.Count > 0 || outsideHooks.Count > 0 || foreignHooks.Count > 0)
        {
            foreach (var p in blocking)
            {
                ctx.Result(p.Item.Key, ResourceAction.Failed, p.Error!, "compare", p.Health);
            }

            foreach (var h in outsideHooks)
            {
                ctx.Result(h.Key, ResourceAction.Failed, options.Boundary!.Violation(h.Key)!, "compare");
            }

            foreach (var (hook, error) in foreignHooks)
            {
                ctx.Result(hook.Key, ResourceAction.Failed, error, "compare");
            }

            var syncFailHooks = hooks.Any(h => h.Hook.HasFlag(HookPhase.SyncFail));
            if (outsideHooks.Count > 0 || foreignHooks.Count > 0 || !syncFailHooks)
            {
                await RemoveCreatedNamespaceAsync(ctx, createdNamespace, ct).ConfigureAwait(false);
            }

            if (outsideHooks.Count > 0 || foreignHooks.Count > 0)
            {
                // A hook outside the project, or one that would replace an object this app does not own, must not
                // run either, SyncFail hooks included.
                var count = blocking.Count + outsideHooks.Count + foreignHooks.Count;
                return Finish(ctx, SyncOutcome.Failed, foreignHooks.Count > 0
                    ? $"{count} objects cannot be synced, nothing applied: {foreignHooks[0].Error}"
                    : $"{count} objects cannot be synced, nothing applied");
            }

            await HookRunner.RunAsync(ctx, hooks, HookPhase.SyncFail, ct).ConfigureAwait(false);
            return Finish(ctx, SyncOutcome.Failed, $"{blocking.Count} objects cannot be synced, nothing applied: {FirstError(blocking)}");
        }

        if (hooks.Any(h => h.Hook.HasFlag(HookPhase.PreSync)))
        {
            await ReportAsync(ctx, hooks, plan, new SyncProgress(SyncStage.PreSyncHooks), ct).ConfigureAwait(false);
        }

        if (!await HookRunner.RunAsync(ctx, hooks, HookPhase.PreSync, ct).ConfigureAwait(false))
        {
            await HookRunner.RunAsync(ctx, hooks, HookPhase.SyncFail, ct).ConfigureAwait(false);
            return Finish(ctx, SyncOutcome.Failed, "a PreSync hook failed");
        }

        foreach (var p in plan.Where(p => p.State == SyncState.Synced && !options.ApplyUnchanged))
        {
            ctx.Result(p.Item.Key, ResourceAction.Unchanged, "", "sync", p.Health);
        }

        var ok = await ApplyWavesAsync(ctx, plan, hooks, ct).ConfigureAwait(false);
        if (ok && options.Prune)
        {
            await ReportAsync(ctx, hooks, plan, new SyncProgress(SyncStage.Prune), ct).ConfigureAwait(false);
            await Pruner.PruneAsync(ctx, prepared, desired.Objects.Count, ct).ConfigureAwait(false);
            ok = !ctx.Failed;
        }

        if (ok && hooks.Any(h => h.Hook.HasFlag(HookPhase.PostSync)))
        {
            await ReportAsync(ctx, hooks, plan, new SyncProgress(SyncStage.PostSyncHooks), ct).ConfigureAwait(false);
            ok = await ctx.WaitAsync(async t => await HealthOfAsync(ctx, resources, t).ConfigureAwait(false) == HealthState.Healthy,
                "the app to be healthy before PostSync hooks", ct).ConfigureAwait(false)
                && await HookRunner.RunAsync(ctx, hooks, HookPhase.PostSync, ct).ConfigureAwait(false);
        }

        if (!ok)
        {
            await HookRunner.RunAsync(ctx, hooks, HookPhase.SyncFail, ct).ConfigureAwait(false);
        }

        return Finish(ctx, ok ? SyncOutcome.Succeeded : SyncOutcome.Failed,
            ok ? "successfully synced" : FailedMessage(ctx), await HealthOfAsync(ctx, resources, ct).ConfigureAwait(false));
    }

    /// <summary>Tells the caller where the sync is, when it has stages worth telling: hooks, or more than one wave.</summary>
    private static Task ReportAsync(SyncContext ctx, IReadOnlyList<Prepared> hooks, IReadOnlyList<Planned> plan, SyncProgress progress,
        CancellationToken ct) =>
        ctx.Options.OnProgress is { } report && (hooks.Count > 0 || plan.Select(p => p.Item.Wave).Distinct().Skip(1).Any())
            ? report(progress, ct)
            : Task.CompletedTask;

    /// <summary>Hooks whose object exists and is not this app's: running one would delete (BeforeHookCreation) or
    /// overwrite someone else's Job. As for resources, an unmarked one is taken over only with AdoptExisting.</summary>
    private static async Task<List<(Prepared Hook, string Error)>> ForeignHooksAsync(SyncContext ctx, IReadOnlyList<Prepared> hooks,
        CancellationToken ct)
    {
        var found = new List<(Prepared, string)>();
        foreach (var hook in hooks.Where(h => !h.Generated))
        {
            Prepared resolved;
            try
            {
                resolved = await ctx.ResolveAsync(hook, ct).ConfigureAwait(false);
            }
            catch (KubeApiException)
            {
                continue; // a kind this sync's CRDs bring: nothing of it can exist yet
            }

            var path = resolved.Type!.ObjectPath(resolved.Key.Namespace, resolved.Key.Name);
            if (await ctx.Api.GetAsync(path, ct).ConfigureAwait(false) is not { } existing)
            {
                continue;
            }

            var live = new Cache.LiveObject(resolved.Type, existing);
            var owner = live.OwnerApp(ctx.Comparer.InstallationId);
            if (owner == ctx.App.Name)
            {
                continue;
            }

            if (owner is not null)
            {
                found.Add((hook, $"shared resource: hook {hook.Key} belongs to app \"{owner}\"; it is left alone"));
            }
            else if (!ctx.Options.AdoptExisting && !Tracking.Tracker.HasOption(hook.Object, Comparer.AdoptOption))
            {
                found.Add((hook, ctx.Comparer.AdoptionRequired($"hook {hook.Key}", live)));
            }
        }

        return found;
    }

    private static async Task<bool> ApplyWavesAsync(SyncContext ctx, IReadOnlyList<Planned> plan, IReadOnlyList<Prepared> hooks,
        CancellationToken ct)
    {
        var options = ctx.Options;
        var toApply = plan.Where(p => p.State != SyncState.Synced || options.ApplyUnchanged).ToList();
        var syncHooks = hooks.Where(h => h.Hook.HasFlag(HookPhase.Sync)).ToList();
        var waves = toApply.Select(p => p.Item.Wave).Concat(syncHooks.Select(h => h.Wave)).Distinct().Order().ToList();
        foreach (var (wave, number) in waves.Select((w, i) => (w, i + 1)))
        {
            ctx.Note("sync", $"wave {wave}");
            await ReportAsync(ctx, hooks, plan, new SyncProgress(SyncStage.Wave, wave, number, waves.Count), ct).ConfigureAwait(false);
            foreach (var group in toApply.Where(p => p.Item.Wave == wave).GroupBy(p => SyncOrder.KindRank(p.Item.Key.Kind)).OrderBy(g => g.Key))
            {
                var applied = new System.Collections.Concurrent.ConcurrentBag<(Prepared, System.Text.Json.Nodes.JsonObject)>();
                await Parallel.ForEachAsync(group.OrderBy(p => p.Item.OrderKey, SyncOrder.Comparer),
                    new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrency, CancellationToken = ct },
                    async (p, t) =>
                    {
                        if (await ctx.ApplyAsync(p.Item, p.Live is not null, "sync", t, p.Adopting).ConfigureAwait(false) is { } obj)
                        {
                            applied.Add((p.Item, obj));
                        }
                    }).ConfigureAwait(false);
                if (ctx.Failed)
                {
                    return false;
                }

                foreach (var (item, _) in applied.Where(a => a.Item1.Key.Kind == "CustomResourceDefinition"))
                {
                    if (!await WaitEstablishedAsync(ctx, item, ct).ConfigureAwait(false))
                    {
                        ctx.Result(item.Key, ResourceAction.Failed, "not established in time", "sync");
                        return false;
                    }
                }
            }

            foreach (var hook in syncHooks.Where(h => h.Wave == wave).OrderBy(h => h.OrderKey, SyncOrder.Comparer))
            {
                if (!await HookRunner.RunOneAsync(ctx, hook, "Sync", ct).ConfigureAwait(false))
                {
                    return false;
                }
            }

            // A later wave starts only once this one is healthy (that is what waves are for).
            var waveItems = toApply.Where(p => p.Item.Wave == wave).Select(p => p.Item).ToList();
            if (wave != waves[^1])
            {
                var health = HealthState.Unknown;
                if (!await ctx.WaitAsync(async t =>
                    {
                        health = await HealthOfAsync(ctx, waveItems, t).ConfigureAwait(false);
                        return health is not (HealthState.Progressing or HealthState.Missing);
                    }, $"wave {wave} to be healthy", ct).ConfigureAwait(false) || health is HealthState.Degraded or HealthState.Unknown)
                {
                    ctx.Note("sync", $"wave {wave} is {health.ToString().ToLowerInvariant()}: later waves are not applied");
                    return false;
                }
            }
        }

        return true;
    }

    private static async Task<bool> WaitEstablishedAsync(SyncContext ctx, Prepared crd, CancellationToken ct)
    {
        var path = crd.Type!.ObjectPath(null, crd.Key.Name);
        var ok = await ctx.WaitAsync(async t => await ctx.Api.GetAsync(path, t).ConfigureAwait(false) is { } live
            && HealthAssessor.ConditionTrue(live, "Established") == true, $"{crd.Key} to be established", ct).ConfigureAwait(false);
        var group = Obj.Str(crd.Object, "spec", "group");
        foreach (var v in (Obj.O(crd.Object, "spec")?["versions"] as System.Text.Json.Nodes.JsonArray ?? []).OfType<System.Text.Json.Nodes.JsonObject>())
        {
            ctx.Discovery.Invalidate($"{group}/{Obj.Str(v, "name")}");
        }

        return ok;
    }

    public static async Task<HealthState> HealthOfAsync(SyncContext ctx, IEnumerable<Prepared> items, CancellationToken ct)
    {
        var states = new List<HealthState>();
        foreach (var item in items)
        {
            var resolved = item.Type is null ? await TryResolveAsync(ctx, item, ct).ConfigureAwait(false) : item;
            var live = resolved is null ? null : await ctx.Comparer.LiveAsync(resolved, ct).ConfigureAwait(false);
            states.Add(live?.Health.State ?? HealthState.Missing);
        }

        return HealthAssessor.Aggregate(states);
    }

    private static async Task<Prepared?> TryResolveAsync(SyncContext ctx, Prepared item, CancellationToken ct)
    {
        try
        {
            return await ctx.ResolveAsync(item, ct).ConfigureAwait(false);
        }
        catch (KubeApiException)
        {
            return null;
        }
    }

    /// <summary>Creates the destination namespace when it does not exist; true when this call created it.</summary>
    private static async Task<bool> EnsureNamespaceAsync(SyncContext ctx, CancellationToken ct)
    {
        var path = $"/api/v1/namespaces/{ctx.App.DestinationNamespace}";
        if (await ctx.Api.GetAsync(path, ct).ConfigureAwait(false) is not null)
        {
            return false;
        }

        var ns = new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = ctx.App.DestinationNamespace },
        };
        await ctx.Api.ApplyAsync(path, ns, EngineAssembly.FieldManager, force: false, dryRun: false, ct).ConfigureAwait(false);
        ctx.Note("prepare", $"created namespace {ctx.App.DestinationNamespace}");
        return true;
    }

    /// <summary>Deletes the namespace this sync created when the sync failed before its first write (and no
    /// SyncFail hook ran in it): a rejected commit leaves nothing behind, not even an empty namespace.</summary>
    private static async Task RemoveCreatedNamespaceAsync(SyncContext ctx, bool created, CancellationToken ct)
    {
        if (!created)
        {
            return;
        }

        try
        {
            await ctx.Api.DeleteAsync($"/api/v1/namespaces/{ctx.App.DestinationNamespace}", PropagationPolicy.Background, ct).ConfigureAwait(false);
            ctx.Note("prepare", $"removed namespace {ctx.App.DestinationNamespace} again: the sync wrote nothing into it");
        }
        catch (KubeApiException e)
        {
            ctx.Note("prepare", $"could not remove the namespace {ctx.App.DestinationNamespace} it created: {e.Message}");
        }
    }

    /// <summary>"sync failed", naming the first object that failed and the API server's reason (already scrubbed
    /// of Secret values), so the SyncError condition and `app get` say what to fix.</summary>
    private static string FailedMessage(SyncContext ctx) =>
        ctx.Results.Values.Where(r => r.Action is ResourceAction.Failed or ResourceAction.HookFailed).OrderBy(r => r.Key).FirstOrDefault()
            is { } first ? $"sync failed: {first.Key}: {first.Message}" : "sync failed";

    /// <summary>The first blocking error, so the operation message names an object and the server's reason.</summary>
    private static string FirstError(IReadOnlyList<Planned> blocking) =>
        blocking.OrderBy(p => p.Item.Key).First() is var first && first.Error!.Contains(first.Item.Key.ToString(), StringComparison.Ordinal)
            ? first.Error! : $"{first.Item.Key}: {first.Error}";

    private static SyncResult Finish(SyncContext ctx, SyncOutcome outcome, string message,
        HealthState? health = null)
    {
        ctx.Note("finish", message);
        var results = ctx.Results.Values.OrderBy(r => r.Key).ToList();
        return new SyncResult(ctx.App, outcome, message, results, ctx.Log,
            health ?? HealthAssessor.Aggregate(results.Select(r => r.Health.State)));
    }
}
