namespace GitOps.Controller.HighAvailability;

/// <summary>What one replica does with the shard Leases in one round of dynamic sharding.</summary>
/// <param name="Target">How many shards this replica should hold.</param>
/// <param name="Members">Live replicas counted (this one included).</param>
/// <param name="Release">Held shards to hand over (above the target), highest index first.</param>
/// <param name="Acquire">Free shards to campaign for (below the target).</param>
internal sealed record ShardPlan(int Target, int Members, IReadOnlyList<int> Release, IReadOnlyList<int> Acquire);

/// <summary>
/// Dynamic sharding's fair share, as pure logic. With N live members sorted by identity, the member of rank r
/// targets M/N shards plus one when r &lt; M mod N: never more than ceil(M/N), and the targets add up to M, so
/// every shard has a taker (ceil(M/N) for everyone would leave the third of three replicas on 4 shards idle, 2+2+0).
/// All members see the same Leases, so they agree on ranks and targets without talking to each other.
/// </summary>
internal static class ShardBalance
{
    public static int Target(int shards, int members, int rank) =>
        (shards / members) + (rank < shards % members ? 1 : 0);

    /// <param name="shards">M, the number of shards.</param>
    /// <param name="members">Identities of the live members (this one may be missing: it always counts).</param>
    /// <param name="self">This replica's identity.</param>
    /// <param name="held">Shards this replica holds now.</param>
    /// <param name="free">Whether a shard's Lease may be taken: absent, expired, released or naming this replica.</param>
    public static ShardPlan Plan(int shards, IEnumerable<string> members, string self, IReadOnlyCollection<int> held,
        Func<int, bool> free)
    {
        var ranked = members.Append(self).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var rank = ranked.IndexOf(self);
        var target = Target(shards, ranked.Count, rank);
        var release = held.Count > target ? held.OrderDescending().Take(held.Count - target).ToList() : [];
        var acquire = new List<int>();
        // Members start looking at different shards (by rank), so they rarely race for the same Lease.
        var start = rank * shards / ranked.Count;
        for (var i = 0; i < shards && held.Count + acquire.Count < target; i++)
        {
            var shard = (start + i) % shards;
            if (!held.Contains(shard) && free(shard))
            {
                acquire.Add(shard);
            }
        }

        return new ShardPlan(target, ranked.Count, release, acquire);
    }
}
