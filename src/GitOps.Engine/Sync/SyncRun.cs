using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Engine.Cache;
using GitOps.Engine.Cluster;
using GitOps.Engine.Diff;
using GitOps.Engine.Health;
using Microsoft.Extensions.Logging;

namespace GitOps.Engine.Sync;

/// <summary>Shared state and small operations of one sync operation (its log, per-resource results, apply).</summary>
internal sealed class SyncContext(KubeApi api, ApiDiscovery discovery, LiveStateCache cache, Comparer comparer,
    AppTarget app, SyncOptions options, string fieldManager, TimeProvider clock, ILogger logger)
{
    private readonly ConcurrentQueue<OperationLogEntry> log = new();
    private readonly ConcurrentDictionary<ResourceKey, ResourceResult> results = new();

    public KubeApi Api => api;

    public ApiDiscovery Discovery => discovery;

    public LiveStateCache Cache => cache;

    public Comparer Comparer => comparer;

    public AppTarget App => app;

    public SyncOptions Options => options;

    public IReadOnlyList<OperationLogEntry> Log => log.ToList();

    public IReadOnlyDictionary<ResourceKey, ResourceResult> Results => results;

    public bool Failed => !results.IsEmpty && results.Values.Any(r => r.Action is ResourceAction.Failed or ResourceAction.HookFailed);

    public void Note(string phase, string message, ResourceKey? key = null)
    {
        log.Enqueue(new OperationLogEntry(clock.GetUtcNow(), phase, message, key));
        // Debug: the operation log is kept in the app's status, and the controller logs one Information line per
        // sync with its outcome; four lines per sync cost a cold start of 50 000 apps 200 000 console writes.
        logger.LogDebug("App {App} {Phase}: {Resource} {Message}", app.Name, phase, key?.ToString() ?? "", message);
    }

    public void Result(ResourceKey key, ResourceAction action, string message, string phase, ResourceHealth? health = null)
    {
        results[key] = new ResourceResult(key, action, message, health ?? ResourceHealth.Healthy);
        Note(phase, $"{action.Name()}{(message.Length > 0 ? ": " + message : "")}", key);
    }

    public bool ReplaceAllowed(Prepared item) =>
        options.ReplaceOnImmutableError || Tracking.Tracker.HasOption(item.Object, "Replace=true");

    /// <summary>Resolves the type of an object whose CRD was applied earlier in this sync.</summary>
    public async Task<Prepared> ResolveAsync(Prepared item, CancellationToken ct)
    {
        if (item.Type is not null)
        {
            return item;
        }

        var type = await discovery.ResolveAsync(item.ApiVersion, item.Key.Kind, ct).ConfigureAwait(false)
            ?? throw new KubeApiException(System.Net.HttpStatusCode.NotFound, "NotFound",
                $"the server does not serve {item.Key.Kind} in {item.ApiVersion}");
        return item with { Type = type };
    }

    /// <summary>Server-side apply; on an immutable-field error deletes and recreates when allowed.</summary>
    /// <param name="adopting">The live object exists without our mark and adoption was allowed: logged.</param>
    public async Task<JsonObject?> ApplyAsync(Prepared item, bool existed, string phase, CancellationToken ct, bool adopting = false)
    {
        if (adopting)
        {
            logger.LogWarning("App {App} adopts {Resource}: it existed without a tracking mark (AdoptExisting)", app.Name, item.Key.ToString());
            Note(phase, "adopting an existing object without our tracking mark (AdoptExisting)", item.Key);
        }

        try
        {
            item = await ResolveAsync(item, ct).ConfigureAwait(false);
            var path = item.Type!.ObjectPath(item.Key.Namespace, item.Key.Name);
            string message;
            ApiObject applied;
            try
            {
                applied = await api.ApplyAsync(path, item.Object, fieldManager, options.Force, dryRun: false, ct).ConfigureAwait(false);
                message = "";
            }
            catch (KubeApiException e) when (e.IsImmutableFieldError && ReplaceAllowed(item))
            {
                Note(phase, "immutable field changed: deleting and recreating", item.Key);
                await DeleteAndWaitAsync(item.Type, item.Key, PropagationPolicy.Foreground, ct).ConfigureAwait(false);
                applied = await api.ApplyAsync(path, item.Object, fieldManager, options.Force, dryRun: false, ct).ConfigureAwait(false);
                message = "replaced (immutable field changed)";
            }

            if (comparer.InstallationId is null && Tracking.Tracker.InstallationOf(applied.Object) is not null)
            {
                // Adopted from another installation by an engine without an ID: a stamp another field manager owns
                // survives our apply, and would leave the object that installation's.
                applied = await api.MergePatchAsync(path, Tracking.Tracker.Unstamp(), ct).ConfigureAwait(false);
            }

            var (key, health) = await comparer.RecordAppliedAsync(app, item, applied, options.IgnoreDifferences, ct).ConfigureAwait(false);
            if (!item.IsHook)
            {
                Result(key, existed ? ResourceAction.Configured : ResourceAction.Created,
                    adopting && message.Length == 0 ? "adopted" : message, phase, health);
            }

            return applied.Object;
        }
        catch (KubeApiException e)
        {
            Result(item.Key, ResourceAction.Failed, SecretMasker.Scrub(e.Message, item.Object), phase,
                new ResourceHealth(HealthState.Unknown));
            return null;
        }
    }

    public async Task DeleteAndWaitAsync(ResourceType type, ResourceKey key, PropagationPolicy propagation, CancellationToken ct)
    {
        var path = type.ObjectPath(key.Namespace, key.Name);
        if (await api.DeleteAsync(path, propagation, ct).ConfigureAwait(false))
        {
            await WaitAsync(async t => await api.GetAsync(path, t).ConfigureAwait(false) is null,
                $"{key} to be deleted", ct).ConfigureAwait(false);
        }

        (await cache.ForTypeAsync(type, ct).ConfigureAwait(false)).Remove(key.Namespace, key.Name);
        comparer.Forget(app, key);
    }

    /// <summary>Polls a condition with backoff until it holds; false when the wait timeout passes.</summary>
    public async Task<bool> WaitAsync(Func<CancellationToken, Task<bool>> condition, string what, CancellationToken ct)
    {
        var deadline = clock.GetUtcNow() + options.WaitTimeout;
        var delay = TimeSpan.FromMilliseconds(100);
        while (!await condition(ct).ConfigureAwait(false))
        {
            if (clock.GetUtcNow() >= deadline)
            {
                Note("wait", $"timed out after {options.WaitTimeout.TotalSeconds:0} s waiting for {what}");
                return false;
            }

            await Task.Delay(delay, clock, ct).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 1000));
        }

        return true;
    }
}
