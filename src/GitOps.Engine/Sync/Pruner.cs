using GitOps.Engine.Cache;
using GitOps.Engine.Cluster;

namespace GitOps.Engine.Sync;

/// <summary>Deletes objects tracked by the app that are no longer desired, in reverse apply order.</summary>
internal static class Pruner
{
    public static async Task PruneAsync(SyncContext ctx, IReadOnlyList<Prepared> desired, int desiredCount, CancellationToken ct)
    {
        var candidates = Extraneous(ctx, desired);
        if (candidates.Count == 0)
        {
            return;
        }

        if (desiredCount == 0 && !ctx.Options.AllowEmpty)
        {
            ctx.Note("prune", $"the desired set is empty: {candidates.Count} tracked objects kept (allowEmpty is off)");
            return;
        }

        var groups = candidates
            .GroupBy(c => (c.Wave, SyncOrder.KindRank(c.Key.Kind)))
            .OrderByDescending(g => g.Key);
        foreach (var group in groups)
        {
            await Parallel.ForEachAsync(group.OrderByDescending(c => c.Key),
                new ParallelOptions { MaxDegreeOfParallelism = ctx.Options.MaxConcurrency, CancellationToken = ct },
                async (c, token) =>
                {
                    if (c.PruneDisabled)
                    {
                        ctx.Result(c.Key, ResourceAction.PruneSkipped, "pruning disabled by annotation", "prune");
                        return;
                    }

                    try
                    {
                        await ctx.Api.DeleteAsync(c.Type.ObjectPath(c.Key.Namespace, c.Key.Name), ctx.Options.PrunePropagation, token)
                            .ConfigureAwait(false);
                        (await ctx.Cache.ForTypeAsync(c.Type, token).ConfigureAwait(false)).Remove(c.Key.Namespace, c.Key.Name);
                        ctx.Comparer.Forget(ctx.App, c.Key);
                        ctx.Result(c.Key, ResourceAction.Pruned, "", "prune", new ResourceHealth(HealthState.Missing));
                    }
                    catch (KubeApiException e)
                    {
                        ctx.Result(c.Key, ResourceAction.Failed, $"prune failed: {e.Message}", "prune", new ResourceHealth(HealthState.Unknown));
                    }
                }).ConfigureAwait(false);
        }
    }

    /// <summary>Tracked live objects not in the desired set (hooks are never pruned: they are run, not owned). An
    /// object already terminating counts as pruned: deleting it again changes nothing, and reporting it would make
    /// the app look out of sync and sync the same revision again while finalizers run.</summary>
    public static IReadOnlyList<LiveObject> Extraneous(SyncContext ctx, IReadOnlyList<Prepared> desired) =>
        Extraneous(ctx.Cache.TrackedBy(ctx.App.Name), desired);

    public static IReadOnlyList<LiveObject> Extraneous(IReadOnlyList<LiveObject> tracked, IReadOnlyList<Prepared> desired)
    {
        var keys = desired.Select(d => d.Key).ToHashSet();
        return [.. tracked.Where(t => !t.IsHook && !t.Terminating && !keys.Contains(t.Key))];
    }
}
