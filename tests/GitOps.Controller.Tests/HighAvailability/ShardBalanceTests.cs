using GitOps.Controller.HighAvailability;

namespace GitOps.Controller.Tests.HighAvailability;

/// <summary>Dynamic sharding's fair share: targets add up to the shard count and never exceed ceil(M/N); a replica
/// above its target hands over its highest shards, one below it campaigns only for free shards.</summary>
public sealed class ShardBalanceTests
{
    [Theory]
    [InlineData(4, 1, new[] { 4 })]
    [InlineData(4, 2, new[] { 2, 2 })]
    [InlineData(4, 3, new[] { 2, 1, 1 })]
    [InlineData(4, 5, new[] { 1, 1, 1, 1, 0 })]
    [InlineData(2, 2, new[] { 1, 1 })]
    public void Targets_share_the_shards_out(int shards, int members, int[] expected)
    {
        var targets = Enumerable.Range(0, members).Select(rank => ShardBalance.Target(shards, members, rank)).ToArray();
        Assert.Equal(expected, targets);
        Assert.Equal(shards, targets.Sum());
        Assert.All(targets, t => Assert.InRange(t, 0, (shards + members - 1) / members));
    }

    [Fact]
    public void A_replica_above_its_share_releases_its_highest_shards()
    {
        var plan = ShardBalance.Plan(4, ["b"], "a", [0, 1, 2, 3], _ => true);
        Assert.Equal((2, 2), (plan.Target, plan.Members));
        Assert.Equal([3, 2], plan.Release);
        Assert.Empty(plan.Acquire);
    }

    [Fact]
    public void A_replica_below_its_share_campaigns_only_for_free_shards()
    {
        // "b" ranks second of two: target 2; shards 0 and 1 are held by someone else.
        var plan = ShardBalance.Plan(4, ["a"], "b", [], s => s >= 2);
        Assert.Equal([2, 3], plan.Acquire.Order());
        Assert.Empty(plan.Release);

        var nothingFree = ShardBalance.Plan(4, ["a"], "b", [], _ => false);
        Assert.Empty(nothingFree.Acquire);
    }

    [Fact]
    public void Alone_a_replica_takes_every_shard_and_counts_itself_once()
    {
        var plan = ShardBalance.Plan(4, ["a", "a"], "a", [1], _ => true);
        Assert.Equal((4, 1), (plan.Target, plan.Members));
        Assert.Equal([0, 2, 3], plan.Acquire.Order());
    }

    [Fact]
    public void Members_start_looking_at_different_shards()
    {
        var first = ShardBalance.Plan(4, ["b"], "a", [], _ => true);
        var second = ShardBalance.Plan(4, ["a"], "b", [], _ => true);
        Assert.Empty(first.Acquire.Intersect(second.Acquire));
    }
}
