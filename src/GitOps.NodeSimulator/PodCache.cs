using System.Collections.Concurrent;
using k8s.Models;

namespace GitOps.NodeSimulator;

/// <summary>The last seen version of every Pod in scope, fed by the watches and by our own writes.</summary>
internal sealed class PodCache
{
    private readonly ConcurrentDictionary<string, V1Pod> pods = new(StringComparer.Ordinal);

    public static string KeyOf(string? ns, string name) => $"{ns}/{name}";

    public static string KeyOf(V1Pod pod) => KeyOf(pod.Metadata.NamespaceProperty, pod.Metadata.Name);

    public IEnumerable<string> Keys => pods.Keys;

    public V1Pod? Get(string key) => pods.GetValueOrDefault(key);

    public V1Pod? Get(string ns, string name) => Get(KeyOf(ns, name));

    /// <summary>Stores the Pod unless the cache already holds a newer version of it (a watch event can arrive after
    /// the answer to our own write).</summary>
    public void Put(V1Pod pod) => pods.AddOrUpdate(KeyOf(pod), pod, (_, old) =>
        Newer(old, pod) ? old : pod);

    public void Remove(string key) => pods.TryRemove(key, out _);

    /// <summary>Replaces everything a re-list covers; returns the keys that vanished.</summary>
    public IReadOnlyList<string> ReplaceAll(Func<string, bool> covers, IEnumerable<V1Pod> listed)
    {
        var fresh = listed.ToDictionary(KeyOf, StringComparer.Ordinal);
        var gone = pods.Keys.Where(k => covers(k) && !fresh.ContainsKey(k)).ToList();
        foreach (var key in gone)
        {
            pods.TryRemove(key, out _);
        }

        foreach (var pod in fresh.Values)
        {
            pods[KeyOf(pod)] = pod;
        }

        return gone;
    }

    /// <summary>Resource versions are opaque but, from one etcd, increasing integers; compare when both parse.</summary>
    private static bool Newer(V1Pod a, V1Pod b) =>
        a.Metadata.Uid == b.Metadata.Uid
        && long.TryParse(a.Metadata.ResourceVersion, out var ra) && long.TryParse(b.Metadata.ResourceVersion, out var rb)
        && ra > rb;
}
