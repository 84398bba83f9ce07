using System.Text.Json.Nodes;
using GitOps.Engine.Cluster;
using GitOps.Engine.Health;

namespace GitOps.Engine.Sync;

/// <summary>Runs hook objects of a phase in order: delete the previous run (BeforeHookCreation), apply, wait
/// for a Job or Pod to finish (other kinds finish on creation), then delete per policy.</summary>
internal static class HookRunner
{
    public static async Task<bool> RunAsync(SyncContext ctx, IEnumerable<Prepared> hooks, HookPhase phase, CancellationToken ct)
    {
        var name = phase.ToString();
        foreach (var hook in hooks.Where(h => h.Hook.HasFlag(phase)).OrderBy(h => h.OrderKey, SyncOrder.Comparer))
        {
            if (!await RunOneAsync(ctx, hook, name, ct).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Starts a hook (used for Sync hooks, which run alongside their wave) and returns its waiter.</summary>
    public static async Task<bool> RunOneAsync(SyncContext ctx, Prepared hook, string phase, CancellationToken ct)
    {
        hook = await ctx.ResolveAsync(hook, ct).ConfigureAwait(false);
        var type = hook.Type!;
        if (hook.DeletePolicy.HasFlag(HookDeletePolicy.BeforeHookCreation) && !hook.Generated)
        {
            await ctx.DeleteAndWaitAsync(type, hook.Key, PropagationPolicy.Background, ct).ConfigureAwait(false);
        }

        ctx.Note(phase, "running hook", hook.Key);
        if (hook.Generated)
        {
            try
            {
                var created = await ctx.Api.CreateAsync(type.CollectionPath(hook.Key.Namespace), hook.Object,
                    EngineAssembly.FieldManager, ct).ConfigureAwait(false);
                hook = hook with { Key = hook.Key with { Name = Obj.Str(created, "metadata", "name") ?? hook.Key.Name } };
                ctx.Note(phase, "created hook", hook.Key);
            }
            catch (KubeApiException e)
            {
                ctx.Result(hook.Key, ResourceAction.HookFailed, $"could not be created: {e.Message}", phase);
                return false;
            }
        }
        else if (await ctx.ApplyAsync(hook, existed: false, phase, ct).ConfigureAwait(false) is null)
        {
            ctx.Result(hook.Key, ResourceAction.HookFailed, "could not be created", phase);
            return false;
        }

        var path = type.ObjectPath(hook.Key.Namespace, hook.Key.Name);
        ResourceHealth health = ResourceHealth.Healthy;
        var finished = await ctx.WaitAsync(async t =>
        {
            var live = await ctx.Api.GetAsync(path, t).ConfigureAwait(false);
            health = Finished(live);
            return health.State != HealthState.Progressing;
        }, $"hook {hook.Key} to finish", ct).ConfigureAwait(false);

        var succeeded = finished && health.State == HealthState.Healthy;
        ctx.Result(hook.Key, succeeded ? ResourceAction.HookSucceeded : ResourceAction.HookFailed,
            finished ? health.Message ?? "" : "timed out", phase, health);
        if ((succeeded && hook.DeletePolicy.HasFlag(HookDeletePolicy.HookSucceeded))
            || (!succeeded && hook.DeletePolicy.HasFlag(HookDeletePolicy.HookFailed)))
        {
            await ctx.DeleteAndWaitAsync(type, hook.Key, PropagationPolicy.Background, ct).ConfigureAwait(false);
            ctx.Note(phase, "hook deleted per its delete policy", hook.Key);
        }

        return succeeded;
    }

    private static ResourceHealth Finished(JsonObject? live)
    {
        if (live is null)
        {
            return new ResourceHealth(HealthState.Degraded, "hook object disappeared");
        }

        return Obj.Str(live, "kind") switch
        {
            "Job" or "Pod" => HealthAssessor.Assess(live) is var h && h.State == HealthState.Degraded
                ? h
                : IsDone(live) ? ResourceHealth.Healthy : new ResourceHealth(HealthState.Progressing),
            _ => ResourceHealth.Healthy,
        };
    }

    private static bool IsDone(JsonObject live) => Obj.Str(live, "kind") == "Job"
        ? HealthAssessor.ConditionTrue(live, "Complete") == true
        : Obj.Str(live, "status", "phase") == "Succeeded";
}
