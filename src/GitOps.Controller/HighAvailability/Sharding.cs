using System.Globalization;
using System.Text;

namespace GitOps.Controller.HighAvailability;

/// <summary>
/// --shard N/M: replicas split the apps by a stable hash (32-bit FNV-1a of the app name, mod M); this replica
/// reconciles only the apps of shard N. Without the flag every app is owned.
/// </summary>
internal sealed class ShardFilter
{
    public ShardFilter(ControllerOptions options)
    {
        if (options.Shard is not { Length: > 0 } spec)
        {
            return;
        }

        var parts = spec.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count < 1 || index >= count)
        {
            throw new InvalidOperationException($"invalid --shard '{spec}' (expected N/M with 0 <= N < M, e.g. 0/3)");
        }

        Index = index;
        Count = count;
    }

    public int Index { get; }

    /// <summary>Number of shards (1 without sharding).</summary>
    public int Count { get; } = 1;

    public bool Enabled => Count > 1;

    public bool Owns(string app) => Count == 1 || ShardOf(app, Count) == Index;

    public static int ShardOf(string app, int count) => (int)(Fnv1a(app) % (uint)count);

    private static uint Fnv1a(string value)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return hash;
    }
}
