using GitOps.Controller.Reconcile;

namespace GitOps.Controller.HighAvailability;

/// <summary>The loop's view of high availability: this replica's leadership and shard.</summary>
internal sealed class ReplicaScope(Leadership leadership, ShardFilter shard) : IReplicaScope
{
    public bool IsLeader => leadership.IsLeader;

    public bool Owns(string app) => shard.Owns(app);
}
