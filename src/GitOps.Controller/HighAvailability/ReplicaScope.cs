using GitOps.Controller.Reconcile;

namespace GitOps.Controller.HighAvailability;

/// <summary>The loop's view of high availability: this replica's leadership and shard (static --shard N/M, or
/// the shards it holds now under dynamic sharding, --shards M).</summary>
internal sealed class ReplicaScope(Leadership leadership, ShardFilter shard, ShardOwnership shards) : IReplicaScope
{
    public bool IsLeader => leadership.IsLeader;

    public bool Owns(string app) => shards.Enabled ? shards.Owns(app) : shard.Owns(app);

    public int? ShardsHeld => shards.Enabled ? shards.Held.Count : null;
}
