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
/// <param name="onChange">Each change as the watch saw it, with the object it replaced (null for an addition or
/// deletion).</param>
internal sealed class Informer(KubeApi api, ResourceType type, Action<LiveChangeType, LiveObject, LiveObject?> onChange,
    TimeProvider clock, ILogger logger)
{
    private readonly ConcurrentDictionary<(string? Ns, string Name), LiveObject> store = new();

    // Objects by app label, so finding one app's objects does not scan every app's (a pass over N apps
    // would otherwise be O(N x all objects)). Writes to store and index happen under the lock, reads not: each
    // app's entry is an array replaced on write (most apps have few objects of one kind; a dictionary per app costs
    // ~0.5 KB, which tens of thousands of apps feel), until it holds LargeApp objects: then a dictionary of its own
    // (copying the array on every write made a cold apply of an app with thousands of objects quadratic).
    private const int LargeApp = 64;
    private readonly ConcurrentDictionary<string, LiveObject[]> byApp = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<(string? Ns, string Name), LiveObject>> byLargeApp = new();
    private readonly Lock writeLock = new();
    private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ResourceType Type { get; } = type;

    public Task Synced => synced.Task;

    public LiveObject? Get(string? ns, string name) =>
        store.TryGetValue((Type.Namespaced ? ns : null, name), out var obj) ? obj : null;

    /// <summary>Objects carrying the app label (the caller checks the tracking mark).</summary>
    public IEnumerable<LiveObject> Labelled(string app) =>
        // The array first: a growing app's dictionary is published before its array is dropped.
        byApp.TryGetValue(app, out var objects) ? objects
        : byLargeApp.TryGetValue(app, out var large) ? large.Values : [];

    /// <summary>Records what a write returned, unless the cache already holds something newer.</summary>
    public void Upsert(LiveObject live)
    {
        lock (writeLock)
        {
            if (!store.TryGetValue(KeyOf(live), out var old) || IsNewer(live, old))
            {
                Put(live);
            }
        }
    }

    public void Remove(string? ns, string name)
    {
        lock (writeLock)
        {
            Drop((Type.Namespaced ? ns : null, name));
        }
    }

    /// <param name="resumeFrom">Watch from this resourceVersion instead of listing first (a resumed watch;
    /// if it is too old the server answers 410 Gone and the informer lists again).</param>
    /// <remarks>Ends when <paramref name="ct"/> is cancelled, and never with an error then: whatever a stop
    /// causes underneath (a request torn down mid-read, a client disposed by its owner) is the stop, not a failure.
    /// Waiters on <see cref="Synced"/> of an informer that stopped before its first list are released with
    /// <see cref="ObjectDisposedException"/>.</remarks>
    public async Task RunAsync(CancellationToken ct, string? resumeFrom = null)
    {
        try
        {
            await WatchLoopAsync(ct, resumeFrom).ConfigureAwait(false);
        }
        catch (Exception e) when (ct.IsCancellationRequested)
        {
            logger.LogDebug("Watch of {Resource} stopped: {Error}", Type.Plural, e.Message);
        }
        finally
        {
            synced.TrySetException(new ObjectDisposedException(nameof(Informer), $"the watch of {Type.Plural} has stopped"));
        }
    }

    private async Task WatchLoopAsync(CancellationToken ct, string? resumeFrom)
    {
        var selector = Uri.EscapeDataString(Marks.AppLabel);
        var delay = TimeSpan.FromMilliseconds(200);
        var resourceVersion = resumeFrom;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                resourceVersion ??= await ListAsync(selector, ct).ConfigureAwait(false);
                synced.TrySetResult();
                var timeout = 60 + Random.Shared.Next(30);
                var query = $"{Type.CollectionPath(null)}?watch=1&allowWatchBookmarks=true&labelSelector={selector}" +
                    $"&resourceVersion={resourceVersion}&timeoutSeconds={timeout}";
                await foreach (var evt in api.WatchAsync(query, ct).ConfigureAwait(false))
                {
                    if (evt.Type == "ERROR")
                    {
                        // 410 Gone (or any error): our resourceVersion is too old; list again.
                        logger.LogDebug("Watch of {Resource} ended: {Message}", Type.Plural, Obj.Str(evt.Parse().Object, "message"));
                        resourceVersion = null;
                        break;
                    }

                    resourceVersion = evt.ResourceVersion ?? resourceVersion;
                    if (evt.Type == "BOOKMARK" || (evt.Type != "DELETED" && evt.Name is not null && evt.ResourceVersion is not null
                        && Get(evt.Namespace, evt.Name)?.ResourceVersion == evt.ResourceVersion))
                    {
                        // A bookmark, or the very version the cache holds (a write's answer got here first): a cold
                        // apply would otherwise parse every object it wrote a second time.
                        continue;
                    }

                    Apply(evt.Type, new LiveObject(Type, evt.Parse()));
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
                    await Task.Delay(delay, clock, ct).ConfigureAwait(false);
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
            var live = new LiveObject(Type, item);
            seen.Add(KeyOf(live));
            Apply("MODIFIED", live);
        }

        // A re-list (after 410 Gone) also learns of deletions the lost watch never delivered.
        List<LiveObject> gone = [];
        lock (writeLock)
        {
            foreach (var key in store.Keys.Where(k => !seen.Contains(k)).ToList())
            {
                if (Drop(key) is { } old)
                {
                    gone.Add(old);
                }
            }
        }

        gone.ForEach(old => onChange(LiveChangeType.Deleted, old, null));

        return Obj.Str(list, "metadata", "resourceVersion") ?? "";
    }

    /// <summary>A watch event or listed item (bookmarks never get here: they carry no object).</summary>
    private void Apply(string kind, LiveObject obj)
    {
        var key = KeyOf(obj);
        if (kind == "DELETED")
        {
            lock (writeLock)
            {
                Drop(key);
            }

            onChange(LiveChangeType.Deleted, obj, null);
            return;
        }

        LiveObject? old;
        lock (writeLock)
        {
            store.TryGetValue(key, out old);
            Put(obj);
        }

        if (old is null || old.ResourceVersion != obj.ResourceVersion)
        {
            onChange(old is null ? LiveChangeType.Added : LiveChangeType.Modified, obj, old);
        }
    }

    /// <summary>Stores the object and re-indexes it (its label may have changed). Under the write lock.</summary>
    private void Put(LiveObject obj)
    {
        var key = KeyOf(obj);
        if (store.TryGetValue(key, out var old))
        {
            obj.ShareIdentityWith(old);
            if (old.AppLabel != obj.AppLabel && old.AppLabel is not null)
            {
                Unindex(old.AppLabel, key);
            }
        }

        store[key] = obj;
        if (obj.AppLabel is not null)
        {
            Index(obj.AppLabel, key, obj);
        }
    }

    /// <summary>Records the object under its app. Under the write lock.</summary>
    private void Index(string app, (string? Ns, string Name) key, LiveObject obj)
    {
        if (byLargeApp.TryGetValue(app, out var large))
        {
            large[key] = obj;
            return;
        }

        var objects = byApp.GetValueOrDefault(app) ?? [];
        var at = Array.FindIndex(objects, o => KeyOf(o) == key);
        if (at < 0 && objects.Length + 1 >= LargeApp)
        {
            // Published before the array is dropped: a reader, looking at the arrays first, sees one or the other.
            large = new ConcurrentDictionary<(string? Ns, string Name), LiveObject>(objects.Select(o => KeyValuePair.Create(KeyOf(o), o)));
            large[key] = obj;
            byLargeApp[app] = large;
            byApp.TryRemove(app, out _);
            return;
        }

        LiveObject[] updated = at < 0 ? [.. objects, obj] : [.. objects];
        if (at >= 0)
        {
            updated[at] = obj;
        }

        byApp[app] = updated;
    }

    /// <summary>Removes the object and its index entry. Under the write lock.</summary>
    private LiveObject? Drop((string? Ns, string Name) key)
    {
        if (!store.TryRemove(key, out var old))
        {
            return null;
        }

        if (old.AppLabel is not null)
        {
            Unindex(old.AppLabel, key);
        }

        return old;
    }

    private void Unindex(string app, (string? Ns, string Name) key)
    {
        if (byLargeApp.TryGetValue(app, out var large))
        {
            if (large.TryRemove(key, out _) && large.IsEmpty)
            {
                byLargeApp.TryRemove(app, out _);
            }

            return;
        }

        if (!byApp.TryGetValue(app, out var objects))
        {
            return;
        }

        LiveObject[] rest = [.. objects.Where(o => KeyOf(o) != key)];
        if (rest.Length == 0)
        {
            byApp.TryRemove(app, out _);
        }
        else
        {
            byApp[app] = rest;
        }
    }

    private static (string? Ns, string Name) KeyOf(LiveObject obj) => (obj.Key.Namespace, obj.Key.Name);

    private static bool IsNewer(LiveObject candidate, LiveObject current) =>
        !ulong.TryParse(candidate.ResourceVersion, out var a)
        || !ulong.TryParse(current.ResourceVersion, out var b)
        || a >= b;
}
