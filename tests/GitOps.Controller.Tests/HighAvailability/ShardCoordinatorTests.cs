using GitOps.Controller.HighAvailability;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Controller.Tests.HighAvailability;

/// <summary>The shard Lease protocol between replicas, over an in-memory Lease store with optimistic concurrency
/// and a fake clock: replicas split the shards, a crashed replica's shards are taken only once it can no longer act
/// on them, and a clean stop hands them over without waiting for expiry. After every round no shard is held by two.</summary>
public sealed class ShardCoordinatorTests
{
    private static readonly TimeSpan Round = TimeSpan.FromMilliseconds(500);

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryLeaseStore store = new();
    private readonly ControllerOptions options = new()
    {
        LeaderElect = true, Shards = 4, LeaseName = "unit", LeaseDuration = TimeSpan.FromSeconds(4),
        RenewDeadline = TimeSpan.FromSeconds(3), RetryPeriod = Round,
    };

    [Fact]
    public async Task Two_replicas_split_the_shards()
    {
        var (a, b) = (NewReplica(), NewReplica());
        await RoundAsync([a], [a]);
        Assert.Empty(a.Shards.Held); // the first round only joins
        Assert.False(a.Leadership.IsLeader);
        await RoundAsync([a], [a]);
        Assert.Equal([0, 1, 2, 3], a.Shards.Held);
        Assert.True(a.Leadership.IsLeader);

        var rounds = await RoundsUntilAsync([a, b], () => a.Shards.Held.Count == 2 && b.Shards.Held.Count == 2);
        Assert.True(rounds <= 6, $"split after {rounds} rounds");
        Assert.Equal([0, 1, 2, 3], a.Shards.Held.Concat(b.Shards.Held).Order());
        Assert.Equal([3, 2], a.Changes.SelectMany(c => c.Lost)); // the highest first
        Assert.Equal(2, b.Shards.Members);
        Assert.Equal(2, store.Leases.Count(l => l.Metadata.Labels[ShardCoordinator.RoleLabel] == "member"));
    }

    [Fact]
    public async Task Replicas_started_together_split_the_shards_without_handing_any_back()
    {
        var (a, b) = (NewReplica(), NewReplica());
        await RoundsUntilAsync([a, b], () => a.Shards.Held.Count == 2 && b.Shards.Held.Count == 2);
        Assert.DoesNotContain(a.Changes.Concat(b.Changes), c => c.Lost.Count > 0);
    }

    [Fact]
    public async Task A_crashed_replicas_shards_are_taken_once_it_can_no_longer_act_on_them()
    {
        var (a, b) = (NewReplica(), NewReplica());
        await RoundsUntilAsync([a], () => a.Shards.Held.Count == 4);
        await RoundsUntilAsync([a, b], () => a.Shards.Held.Count == 2 && b.Shards.Held.Count == 2);
        var orphaned = a.Shards.Held;
        var crashed = clock.GetUtcNow();

        // a stops renewing (killed, or stalled): only b runs rounds; RoundAsync checks a is never counted with b.
        await RoundsUntilAsync([b], () => b.Shards.Held.Count == 4, everyone: [a, b]);
        Assert.Empty(a.Shards.Held);
        Assert.True(clock.GetUtcNow() - crashed >= options.LeaseDuration, "nothing is taken before the Leases expire");
        Assert.Equal(orphaned, b.Changes.SelectMany(c => c.Gained).Where(orphaned.Contains).Order());
        Assert.Equal(1, b.Shards.Members);
        Assert.DoesNotContain(store.Leases, l => l.Spec.HolderIdentity == a.Leadership.Identity
                                                 && l.Metadata.Labels[ShardCoordinator.RoleLabel] == "member");
    }

    [Fact]
    public async Task A_clean_stop_hands_the_shards_over_without_waiting_for_expiry()
    {
        var (a, b) = (NewReplica(), NewReplica());
        await RoundsUntilAsync([a], () => a.Shards.Held.Count == 4);
        await RoundsUntilAsync([a, b], () => a.Shards.Held.Count == 2 && b.Shards.Held.Count == 2);
        var stopped = clock.GetUtcNow();

        await a.Coordinator.ReleaseAllAsync(CancellationToken.None);
        Assert.Empty(a.Shards.Held);
        Assert.False(a.Leadership.IsLeader);
        await RoundsUntilAsync([b], () => b.Shards.Held.Count == 4, everyone: [a, b]);
        Assert.True(clock.GetUtcNow() - stopped < options.LeaseDuration, "the released Leases are taken at once");
    }

    [Fact]
    public async Task A_replica_whose_shard_was_taken_behind_its_back_drops_it_at_its_next_round()
    {
        var a = NewReplica();
        await RoundsUntilAsync([a], () => a.Shards.Held.Count == 4);
        var lease = store.Leases.Single(l => l.Metadata.Name == a.Coordinator.ShardLeaseName(1));
        lease.Spec.HolderIdentity = "someone-else";
        Assert.NotNull(await store.TryReplaceAsync(lease, CancellationToken.None));

        await RoundAsync([a], [a]);
        Assert.DoesNotContain(1, a.Shards.Held);
        Assert.Contains(a.Changes, c => c.Lost.Contains(1));
    }

    private Replica NewReplica()
    {
        var leadership = new Leadership(options);
        var shards = new ShardOwnership(options, clock);
        var coordinator = new ShardCoordinator(store, shards, leadership, options, clock, NullLogger<ShardCoordinator>.Instance);
        var replica = new Replica(coordinator, shards, leadership, []);
        shards.Changed += replica.Changes.Add;
        return replica;
    }

    private async Task<int> RoundsUntilAsync(Replica[] live, Func<bool> done, Replica[]? everyone = null)
    {
        for (var rounds = 1; rounds <= 40; rounds++)
        {
            await RoundAsync(live, everyone ?? live);
            if (done())
            {
                return rounds;
            }
        }

        throw new Xunit.Sdk.XunitException("the replicas did not settle in 40 rounds (20 s of fake time)");
    }

    private async Task RoundAsync(Replica[] live, Replica[] everyone)
    {
        clock.Advance(Round);
        foreach (var replica in live)
        {
            await replica.Coordinator.TickAsync(CancellationToken.None);
            for (var shard = 0; shard < options.Shards; shard++)
            {
                var holders = everyone.Count(r => r.Shards.Holds(shard));
                Assert.True(holders <= 1, $"shard {shard} is held by {holders} replicas");
            }
        }
    }

    private sealed record Replica(ShardCoordinator Coordinator, ShardOwnership Shards, Leadership Leadership, List<ShardChange> Changes);

    /// <summary>Leases in memory with the API server's optimistic concurrency (resourceVersion) and copies in and out.</summary>
    private sealed class InMemoryLeaseStore : ILeaseStore
    {
        private readonly Dictionary<string, V1Lease> leases = new(StringComparer.Ordinal);
        private int version;

        public IReadOnlyList<V1Lease> Leases => leases.Values.Select(Copy).ToList();

        public Task<IReadOnlyList<V1Lease>> ListAsync(CancellationToken cancellationToken) => Task.FromResult(Leases);

        public Task<V1Lease?> TryCreateAsync(V1Lease lease, CancellationToken cancellationToken)
        {
            if (leases.ContainsKey(lease.Metadata.Name))
            {
                return Task.FromResult<V1Lease?>(null);
            }

            return Task.FromResult<V1Lease?>(Store(lease));
        }

        public Task<V1Lease?> TryReplaceAsync(V1Lease lease, CancellationToken cancellationToken) =>
            Task.FromResult(leases.TryGetValue(lease.Metadata.Name, out var current)
                            && current.Metadata.ResourceVersion == lease.Metadata.ResourceVersion
                ? Store(lease)
                : null);

        public Task DeleteAsync(string name, string resourceVersion, CancellationToken cancellationToken)
        {
            if (leases.TryGetValue(name, out var current) && current.Metadata.ResourceVersion == resourceVersion)
            {
                leases.Remove(name);
            }

            return Task.CompletedTask;
        }

        private V1Lease Store(V1Lease lease)
        {
            var stored = Copy(lease);
            stored.Metadata.ResourceVersion = (++version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            leases[stored.Metadata.Name] = stored;
            return Copy(stored);
        }

        private static V1Lease Copy(V1Lease lease) => KubernetesJson.Deserialize<V1Lease>(KubernetesJson.Serialize(lease));
    }
}
