using System.Text;
using k8s.Models;

namespace GitOps.Controller.HighAvailability;

/// <summary>
/// Dynamic sharding over Leases, one round per <see cref="ControllerOptions.RetryPeriod"/>: renew this replica's
/// membership Lease (<c>NAME-member-ID</c>), count the live members, renew the shard Leases it holds
/// (<c>NAME-shard-N-of-M</c>), then hand over shards above its fair share and campaign for free ones below it
/// (<see cref="ShardBalance"/>). Safety rests on two rules, as in client-go's leader election: a Lease counts as
/// expired only after this replica has seen it unchanged for its whole duration (its own clock, no cross-replica
/// clock comparison), and a holder stops acting on a shard at its renew deadline (shorter than the duration), so
/// the next holder can only take over once the previous one has stopped. Every write carries the resourceVersion
/// read, so of two replicas racing for one Lease only one wins.
/// </summary>
internal sealed class ShardCoordinator(
    ILeaseStore store,
    ShardOwnership ownership,
    Leadership leadership,
    ControllerOptions options,
    TimeProvider clock,
    ILogger<ShardCoordinator> logger)
{
    public const string RoleLabel = "gitops.dev/lease-role";

    private const string MemberRole = "member";
    private const string ShardRole = "shard";

    private readonly Dictionary<string, (string Version, long SeenAt)> observed = new(StringComparer.Ordinal);
    private (string Held, int Members) reported = ("", 0);
    private bool joined;

    private string Identity => leadership.Identity;

    public string MemberLeaseName => $"{options.LeaseName}-member-{DnsName(Identity)}";

    public string ShardLeaseName(int shard) => $"{options.LeaseName}-shard-{shard}-of-{ownership.Count}";

    /// <summary>One round. Transient API errors end the round early; the next one retries, and a shard that could
    /// not be renewed lapses at its deadline on its own.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        foreach (var shard in ownership.Lapsed)
        {
            logger.LogWarning("Shards: {Identity} could not renew shard {Shard} in time; its apps stopped", Identity, shard);
            ownership.Drop(shard);
        }

        var leases = (await store.ListAsync(cancellationToken)).ToDictionary(l => l.Metadata.Name, StringComparer.Ordinal);
        var now = clock.GetTimestamp(); // after the list: every write it shows started before this instant
        Observe(leases.Values, now);
        await HeartbeatAsync(leases.GetValueOrDefault(MemberLeaseName), cancellationToken);

        var shards = Enumerable.Range(0, ownership.Count).Select(s => leases.GetValueOrDefault(ShardLeaseName(s))).ToArray();
        foreach (var shard in Marked())
        {
            shards[shard] = await RenewAsync(shard, shards[shard], cancellationToken);
        }

        var members = leases.Values
            .Where(l => Role(l) == MemberRole && l.Metadata.Name != MemberLeaseName && !Expired(l, now))
            .Select(l => l.Spec?.HolderIdentity).OfType<string>().Where(h => h.Length > 0);
        var plan = ShardBalance.Plan(ownership.Count, members, Identity, Marked(), s => Free(shards[s], now));
        if (!joined)
        {
            // The first round only joins: replicas started together (a rollout) see each other before any of
            // them takes shards, instead of one taking all and handing half back a round later.
            joined = true;
            plan = plan with { Acquire = [] };
        }

        foreach (var shard in plan.Release)
        {
            await ReleaseAsync(shard, shards[shard], cancellationToken);
        }

        foreach (var shard in plan.Acquire)
        {
            shards[shard] = await AcquireAsync(shard, shards[shard], cancellationToken) ?? shards[shard];
        }

        await ForgetDeadMembersAsync(leases.Values, now, cancellationToken);
        // Other replicas' unexpired Leases: whom to send an app's writes to (a Lease naming this replica that it no
        // longer holds was just handed over).
        ownership.Observe(plan.Members, Enumerable.Range(0, ownership.Count)
            .Where(s => shards[s] is { } l && !Expired(l, now) && l.Spec?.HolderIdentity is { Length: > 0 } h && h != Identity)
            .ToDictionary(s => s, s => shards[s]!.Spec.HolderIdentity));
        leadership.Set(Marked().Count > 0);
        Report(plan);
    }

    /// <summary>A clean stop: hands every held shard over (duration cut to 1 s, as the leader's Lease is) and
    /// leaves the membership, so the others rebalance at once instead of waiting for expiry.</summary>
    public async Task ReleaseAllAsync(CancellationToken cancellationToken)
    {
        var held = Marked();
        foreach (var shard in held)
        {
            ownership.Drop(shard);
        }

        leadership.Set(false);
        try
        {
            var leases = (await store.ListAsync(cancellationToken)).ToDictionary(l => l.Metadata.Name, StringComparer.Ordinal);
            foreach (var shard in held)
            {
                await ReleaseAsync(shard, leases.GetValueOrDefault(ShardLeaseName(shard)), cancellationToken);
            }

            if (leases.GetValueOrDefault(MemberLeaseName) is { } member)
            {
                await store.DeleteAsync(member.Metadata.Name, member.Metadata.ResourceVersion, cancellationToken);
            }

            logger.LogInformation("Shards: {Identity} released shard(s) {Shards} and left", Identity, held.Count > 0 ? string.Join(',', held) : "none");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Shards: could not release the shard Leases (they expire by themselves): {Error}", e.Message);
        }
    }

    /// <summary>Shards marked held, lapsed ones already dropped.</summary>
    private List<int> Marked() => [.. ownership.Held];

    private async Task HeartbeatAsync(V1Lease? member, CancellationToken cancellationToken)
    {
        if (member is null)
        {
            await store.TryCreateAsync(NewLease(MemberLeaseName, MemberRole), cancellationToken);
            return;
        }

        member.Spec.HolderIdentity = Identity;
        member.Spec.LeaseDurationSeconds = DurationSeconds;
        member.Spec.RenewTime = clock.GetUtcNow().UtcDateTime;
        await store.TryReplaceAsync(member, cancellationToken); // a conflict is retried next round
    }

    private async Task<V1Lease?> RenewAsync(int shard, V1Lease? lease, CancellationToken cancellationToken)
    {
        if (lease?.Spec?.HolderIdentity != Identity)
        {
            logger.LogWarning("Shards: shard {Shard} is now held by {Holder}; its apps stopped", shard, lease?.Spec?.HolderIdentity ?? "nobody");
            ownership.Drop(shard);
            return lease;
        }

        var started = clock.GetTimestamp();
        lease.Spec.LeaseDurationSeconds = DurationSeconds;
        lease.Spec.RenewTime = clock.GetUtcNow().UtcDateTime;
        if (await store.TryReplaceAsync(lease, cancellationToken) is { } renewed)
        {
            ownership.Hold(shard, started + Ticks(options.RenewDeadline));
            return renewed;
        }

        logger.LogWarning("Shards: shard {Shard}'s Lease changed under this replica; its apps stopped", shard);
        ownership.Drop(shard);
        return lease;
    }

    private async Task ReleaseAsync(int shard, V1Lease? lease, CancellationToken cancellationToken)
    {
        ownership.Drop(shard); // the apps stop before another replica can see the Lease free
        if (lease?.Spec?.HolderIdentity != Identity)
        {
            return;
        }

        lease.Spec.LeaseDurationSeconds = 1;
        lease.Spec.RenewTime = clock.GetUtcNow().UtcDateTime;
        await store.TryReplaceAsync(lease, cancellationToken);
        logger.LogInformation("Shards: {Identity} handed shard {Shard} over", Identity, shard);
    }

    private async Task<V1Lease?> AcquireAsync(int shard, V1Lease? lease, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        V1Lease? taken;
        if (lease is null)
        {
            taken = await store.TryCreateAsync(NewLease(ShardLeaseName(shard), ShardRole), cancellationToken);
        }
        else
        {
            var now = clock.GetUtcNow().UtcDateTime;
            if (lease.Spec.HolderIdentity != Identity)
            {
                lease.Spec.LeaseTransitions = (lease.Spec.LeaseTransitions ?? 0) + 1;
                lease.Spec.AcquireTime = now;
            }

            lease.Spec.HolderIdentity = Identity;
            lease.Spec.LeaseDurationSeconds = DurationSeconds;
            lease.Spec.RenewTime = now;
            taken = await store.TryReplaceAsync(lease, cancellationToken);
        }

        if (taken is not null)
        {
            ownership.Hold(shard, started + Ticks(options.RenewDeadline));
        }

        return taken;
    }

    /// <summary>Membership Leases of crashed replicas (expired) are deleted, so they do not pile up.</summary>
    private async Task ForgetDeadMembersAsync(IEnumerable<V1Lease> leases, long now, CancellationToken cancellationToken)
    {
        foreach (var dead in leases.Where(l => Role(l) == MemberRole && l.Metadata.Name != MemberLeaseName && Expired(l, now)))
        {
            await store.DeleteAsync(dead.Metadata.Name, dead.Metadata.ResourceVersion, cancellationToken);
        }
    }

    /// <summary>Notes when each Lease's resourceVersion was first seen: expiry is measured from there.</summary>
    private void Observe(IEnumerable<V1Lease> leases, long now)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var lease in leases)
        {
            present.Add(lease.Metadata.Name);
            if (!observed.TryGetValue(lease.Metadata.Name, out var seen) || seen.Version != lease.Metadata.ResourceVersion)
            {
                observed[lease.Metadata.Name] = (lease.Metadata.ResourceVersion, now);
            }
        }

        foreach (var gone in observed.Keys.Where(k => !present.Contains(k)).ToList())
        {
            observed.Remove(gone);
        }
    }

    private bool Expired(V1Lease lease, long now) =>
        !observed.TryGetValue(lease.Metadata.Name, out var seen)
        || now - seen.SeenAt >= Ticks(TimeSpan.FromSeconds(lease.Spec?.LeaseDurationSeconds ?? DurationSeconds));

    private bool Free(V1Lease? lease, long now) =>
        lease?.Spec?.HolderIdentity is not { Length: > 0 } holder || holder == Identity || Expired(lease, now);

    private void Report(ShardPlan plan)
    {
        var held = ownership.Describe();
        if (reported != (held, plan.Members))
        {
            reported = (held, plan.Members);
            logger.LogInformation("Shards: {Identity} holds shard(s) {Shards} of {Count} ({Members} live replica(s), fair share {Target})",
                Identity, held, ownership.Count, plan.Members, plan.Target);
        }
    }

    private V1Lease NewLease(string name, string role)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [RoleLabel] = role } },
            Spec = new V1LeaseSpec
            {
                HolderIdentity = Identity, LeaseDurationSeconds = DurationSeconds, AcquireTime = now, RenewTime = now,
                LeaseTransitions = 0,
            },
        };
    }

    private int DurationSeconds => Math.Max(1, (int)Math.Ceiling(options.LeaseDuration.TotalSeconds));

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * clock.TimestampFrequency);

    private static string? Role(V1Lease lease) =>
        lease.Metadata.Labels is { } labels && labels.TryGetValue(RoleLabel, out var role) ? role : null;

    /// <summary>The identity (hostname-pid-suffix) as a valid Lease name part: lower case, [a-z0-9-] only.</summary>
    private static string DnsName(string identity)
    {
        var name = new StringBuilder(identity.Length);
        foreach (var c in identity.ToLowerInvariant())
        {
            name.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '-');
        }

        return name.ToString().Trim('-');
    }
}
