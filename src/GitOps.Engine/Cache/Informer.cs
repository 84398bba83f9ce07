using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using GitOps.Engine.Cluster;
using Microsoft.Extensions.Logging;

namespace GitOps.Engine.Cache;

/// <summary>
/// List + watch of one resource type, restricted to objects carrying the app label. Watches always carry
/// timeoutSeconds (they can hang silently otherwise), resume from the last resourceVersion, and re-list on
/// 410 Gone.
/// </summary>
internal sealed class Informer(KubeApi api, ResourceType type, Action<LiveChangeType, JsonObject> onChange,
    ILogger logger)
{
    private readonly ConcurrentDictionary<(string? Ns, string Name), JsonObject> store = new();
    private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ResourceType Type { get; } = type;

    public Task Synced => synced.Task;

    public IEnumerable<JsonObject> Objects => store.Values;

    public JsonObject? Get(string? ns, string name) =>
        store.TryGetValue((Type.Namespaced ? ns : null, name), out var obj) ? obj : null;

    /// <summary>Records what a write returned, unless the cache already holds something newer.</summary>
    public void Upsert(JsonObject obj)
    {
        var key = KeyOf(obj);
        store.AddOrUpdate(key, obj, (_, old) => IsNewer(obj, old) ? obj : old);
    }

    public void Remove(string? ns, string name) => store.TryRemove((Type.Namespaced ? ns : null, name), out _);

    public async Task RunAsync(CancellationToken ct)
    {
        var selector = Uri.EscapeDataString(Marks.AppLabel);
        var delay = TimeSpan.FromMilliseconds(200);
        string? resourceVersion = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                resourceVersion ??= await ListAsync(selector, ct).ConfigureAwait(false);
                synced.TrySetResult();
                var timeout = 60 + Random.Shared.Next(30);
                var query = $"{Type.CollectionPath(null)}?watch=1&allowWatchBookmarks=true&labelSelector={selector}" +
                    $"&resourceVersion={resourceVersion}&timeoutSeconds={timeout}";
                await foreach (var (kind, obj) in api.WatchAsync(query, ct).ConfigureAwait(false))
                {
                    if (kind == "ERROR")
                    {
                        // 410 Gone (or any error): our resourceVersion is too old; list again.
                        logger.LogDebug("Watch of {Resource} ended: {Message}", Type.Plural, Obj.Str(obj, "message"));
                        resourceVersion = null;
                        break;
                    }

                    resourceVersion = Obj.Str(obj, "metadata", "resourceVersion") ?? resourceVersion;
                    Apply(kind, obj);
                }

                delay = TimeSpan.FromMilliseconds(200);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or System.Text.Json.JsonException)
            {
                if (e is KubeApiException { Status: HttpStatusCode.Gone })
                {
                    resourceVersion = null;
                }

                logger.LogWarning("Watch of {Resource} failed, retrying in {Delay}: {Error}", Type.Plural, delay, e.Message);

                // A kind we may not list (RBAC) or that vanished must not block start-up: it stays empty
                // (and keeps retrying) instead.
                synced.TrySetResult();
                try
                {
                    await Task.Delay(delay, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 10_000));
            }
        }
    }

    private async Task<string> ListAsync(string selector, CancellationToken ct)
    {
        var list = await api.GetAsync($"{Type.CollectionPath(null)}?labelSelector={selector}", ct).ConfigureAwait(false)
            ?? throw new KubeApiException(HttpStatusCode.NotFound, "NotFound", $"{Type.Plural} is not served");
        var seen = new HashSet<(string?, string)>();
        foreach (var item in (list["items"] as JsonArray ?? []).OfType<JsonObject>())
        {
            // List items carry no apiVersion/kind; restore them so items look like watched objects.
            item["apiVersion"] = Type.ApiVersion;
            item["kind"] = Type.Kind;
            seen.Add(KeyOf(item));
            Apply("MODIFIED", item.DeepClone().AsObject());
        }

        foreach (var gone in store.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            if (store.TryRemove(gone, out var old))
            {
                onChange(LiveChangeType.Deleted, old);
            }
        }

        return Obj.Str(list, "metadata", "resourceVersion") ?? "";
    }

    private void Apply(string kind, JsonObject obj)
    {
        if (kind == "BOOKMARK")
        {
            return;
        }

        var key = KeyOf(obj);
        if (kind == "DELETED")
        {
            store.TryRemove(key, out _);
            onChange(LiveChangeType.Deleted, obj);
            return;
        }

        var added = !store.ContainsKey(key);
        var changed = true;
        store.AddOrUpdate(key, obj, (_, old) =>
        {
            changed = Obj.Str(old, "metadata", "resourceVersion") != Obj.Str(obj, "metadata", "resourceVersion");
            return obj;
        });
        if (changed)
        {
            onChange(added ? LiveChangeType.Added : LiveChangeType.Modified, obj);
        }
    }

    private (string? Ns, string Name) KeyOf(JsonObject obj) =>
        (Type.Namespaced ? Obj.Str(obj, "metadata", "namespace") : null, Obj.Str(obj, "metadata", "name") ?? "");

    private static bool IsNewer(JsonObject candidate, JsonObject current) =>
        !ulong.TryParse(Obj.Str(candidate, "metadata", "resourceVersion"), out var a)
        || !ulong.TryParse(Obj.Str(current, "metadata", "resourceVersion"), out var b)
        || a >= b;
}
