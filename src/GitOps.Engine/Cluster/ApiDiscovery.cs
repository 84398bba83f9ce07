using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace GitOps.Engine.Cluster;

/// <summary>
/// API discovery: which kinds the server serves, their plural, scope and each group's preferred version.
/// Group versions are read lazily and cached; a miss re-reads that group version once, so a kind whose CRD
/// was just established is found (the sync also invalidates after applying CRDs).
/// </summary>
internal sealed class ApiDiscovery(KubeApi api, ILogger logger)
{
    private readonly ConcurrentDictionary<string, Task<IReadOnlyList<ResourceType>>> byGroupVersion = new();

    public async Task<ResourceType?> ResolveAsync(string apiVersion, string kind, CancellationToken ct)
    {
        var found = Find(await GroupVersionAsync(apiVersion, ct).ConfigureAwait(false), kind);
        if (found is not null)
        {
            return found;
        }

        Invalidate(apiVersion);
        return Find(await GroupVersionAsync(apiVersion, ct).ConfigureAwait(false), kind);
    }

    public void Invalidate(string apiVersion) => byGroupVersion.TryRemove(apiVersion, out _);

    public void InvalidateAll() => byGroupVersion.Clear();

    /// <summary>Every listable and watchable kind at its group's preferred version (for the live cache).</summary>
    public async Task<IReadOnlyList<ResourceType>> PreferredWatchableAsync(CancellationToken ct)
    {
        var versions = new List<string>();
        if (await api.GetAsync("/api", ct).ConfigureAwait(false) is { } core && core["versions"] is JsonArray cv)
        {
            versions.AddRange(cv.Select(v => v!.GetValue<string>()).Take(1));
        }

        if (await api.GetAsync("/apis", ct).ConfigureAwait(false) is { } groups && groups["groups"] is JsonArray ga)
        {
            versions.AddRange(ga.OfType<JsonObject>()
                .Select(g => Obj.Str(g, "preferredVersion", "groupVersion"))
                .OfType<string>());
        }

        var lists = await Task.WhenAll(versions.Select(v => GroupVersionAsync(v, ct))).ConfigureAwait(false);
        return lists.SelectMany(l => l).Where(t => t.Watchable).ToList();
    }

    private static ResourceType? Find(IReadOnlyList<ResourceType> types, string kind) =>
        types.FirstOrDefault(t => string.Equals(t.Kind, kind, StringComparison.Ordinal));

    private Task<IReadOnlyList<ResourceType>> GroupVersionAsync(string apiVersion, CancellationToken ct)
    {
        var task = byGroupVersion.GetOrAdd(apiVersion, v => LoadAsync(v, ct));
        if (task.IsFaulted || task.IsCanceled)
        {
            byGroupVersion.TryRemove(new KeyValuePair<string, Task<IReadOnlyList<ResourceType>>>(apiVersion, task));
        }

        return task;
    }

    private async Task<IReadOnlyList<ResourceType>> LoadAsync(string apiVersion, CancellationToken ct)
    {
        var (group, version) = ApiVersions.Split(apiVersion);
        var path = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
        var list = await api.GetAsync(path, ct).ConfigureAwait(false);
        if (list?["resources"] is not JsonArray resources)
        {
            logger.LogDebug("Discovery: group version {ApiVersion} is not served", apiVersion);
            return [];
        }

        var result = new List<ResourceType>();
        foreach (var r in resources.OfType<JsonObject>())
        {
            var name = Obj.Str(r, "name");
            var kind = Obj.Str(r, "kind");
            if (name is null || kind is null || name.Contains('/', StringComparison.Ordinal))
            {
                continue; // subresources
            }

            var verbs = (r["verbs"] as JsonArray)?.Select(v => v?.GetValue<string>()).ToHashSet() ?? [];
            var watchable = verbs.Contains("list") && verbs.Contains("watch") && name != "events";
            result.Add(new ResourceType(group, version, kind, name, Obj.Bool(r, "namespaced") ?? false, watchable));
        }

        return result;
    }
}
