namespace GitOps.Controller.HighAvailability;

/// <summary>Shards gained and lost in one step of <see cref="ShardCoordinator"/>.</summary>
internal sealed record ShardChange(IReadOnlyList<int> Gained, IReadOnlyList<int> Lost);

/// <summary>
/// Which shards this replica holds under dynamic sharding (--shards M), moved by <see cref="ShardCoordinator"/>.
/// A shard counts as held only until its renew deadline: if the coordinator stalls, <see cref="Owns"/> turns false
/// by itself before any other replica may take the Lease over. Disabled (M = 0) without --shards.
/// </summary>
internal sealed class ShardOwnership
{
    private readonly TimeProvider clock;
    private readonly Lock gate = new();

    // Per shard: the timestamp (TimeProvider.GetTimestamp) until which this replica may act on it; 0 = not held.
    private readonly long[] validUntil;
    private readonly string?[] holders;

    public ShardOwnership(ControllerOptions options, TimeProvider clock)
    {
        this.clock = clock;
        Count = options.Shards;
        validUntil = new long[Math.Max(0, Count)];
        holders = new string?[Math.Max(0, Count)];
    }

    /// <summary>M, the number of shards; 0 when dynamic sharding is off.</summary>
    public int Count { get; }

    public bool Enabled => Count > 0;

    /// <summary>Live replicas counted in the last round (this one included).</summary>
    public int Members { get; private set; }

    /// <summary>Raised synchronously when shards are gained or lost (a loss before its Lease is handed over).</summary>
    public event Action<ShardChange>? Changed;

    public bool Owns(string app) => Holds(ShardFilter.ShardOf(app, Count));

    public bool Holds(int shard) => Volatile.Read(ref validUntil[shard]) > clock.GetTimestamp();

    /// <summary>The shards held now, ascending.</summary>
    public IReadOnlyList<int> Held => Enumerable.Range(0, Count).Where(Holds).ToList();

    /// <summary>Shards marked held whose deadline has passed (the coordinator drops them).</summary>
    public IReadOnlyList<int> Lapsed
    {
        get
        {
            var now = clock.GetTimestamp();
            return Enumerable.Range(0, Count).Where(s => validUntil[s] != 0 && validUntil[s] <= now).ToList();
        }
    }

    /// <summary>The holder last seen in a shard's Lease (for messages), null when none.</summary>
    public string? HolderOf(int shard) => Holds(shard) ? "this replica" : holders[shard];

    /// <summary>"0,2" or "none".</summary>
    public string Describe() => Held is { Count: > 0 } held ? string.Join(',', held) : "none";

    public void Observe(int members, IReadOnlyDictionary<int, string> holdersSeen)
    {
        lock (gate)
        {
            Members = members;
            for (var s = 0; s < Count; s++)
            {
                holders[s] = holdersSeen.GetValueOrDefault(s);
            }
        }
    }

    /// <summary>Held (newly or renewed) until <paramref name="until"/>; raises <see cref="Changed"/> when newly.</summary>
    public void Hold(int shard, long until)
    {
        var gained = !Holds(shard); // new, or lapsed and taken again: its apps are queued afresh
        Volatile.Write(ref validUntil[shard], until);
        if (gained)
        {
            Changed?.Invoke(new ShardChange([shard], []));
        }
    }

    /// <summary>No longer held; raises <see cref="Changed"/> so in-flight work stops before the Lease is released.</summary>
    public void Drop(int shard)
    {
        if (Interlocked.Exchange(ref validUntil[shard], 0) != 0)
        {
            Changed?.Invoke(new ShardChange([], [shard]));
        }
    }
}
