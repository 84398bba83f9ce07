namespace GitOps.Controller.Reconcile;

/// <summary>Which apps this replica reconciles. High availability answers it (leader election, --shard, --shards); the loop
/// and the triggers only ask, so they need not know how replicas agree.</summary>
internal interface IReplicaScope
{
    /// <summary>True while this replica leads and runs the sync loop (always without --leader-elect).</summary>
    bool IsLeader { get; }

    /// <summary>True when the app is in this replica's shard (every app without --shard/--shards).</summary>
    bool Owns(string app);

    /// <summary>How many shards this replica holds under dynamic sharding (--shards); null otherwise.</summary>
    int? ShardsHeld { get; }
}

/// <summary>Where the loop reports each reconcile pass (the controller's metrics).</summary>
internal interface IReconcileMetrics
{
    void RecordReconcile(TimeSpan elapsed, bool ok);
}
