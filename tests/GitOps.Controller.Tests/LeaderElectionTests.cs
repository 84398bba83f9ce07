using GitOps.Api.V1;
using GitOps.Controller.HighAvailability;
using GitOps.Testing;
using Grpc.Core;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>Two replicas with --leader-elect: one Lease holder, only it syncs; when it stops the other takes over.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class LeaderElectionTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Only_the_leader_syncs_and_the_follower_takes_over_when_it_stops()
    {
        await using var ns = await cluster.CreateNamespaceAsync("leader");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("cm", ("app/a.yaml", TestManifests.ConfigMap("a", "1")));
        repo.Push("main");
        var apps = TestManifests.Application("ha", repo.FileUrl, "app", ns.Name);
        var election = ControllerHarness.LeaderElectionArgs(ns.Name);
        // Replicas of one installation: the follower that takes over owns what the leader applied.
        var installation = TestInstallations.New();
        var one = await ControllerHarness.StartAsync(cluster, apps, extraArgs: election, installationId: installation);
        var two = await ControllerHarness.StartAsync(cluster, apps, extraArgs: election, installationId: installation);
        try
        {
            var lease = await Eventually.HoldsAsync(
                () => cluster.Client.CoordinationV1.ListNamespacedLeaseAsync(ns.Name),
                list => list.Items.Any(l => l.Metadata.Name == LeaderElectionService.DefaultLeaseName && l.Spec.HolderIdentity is { Length: > 0 }),
                TimeSpan.FromSeconds(20), "a replica holds the Lease");
            var holder = lease.Items.Single(l => l.Metadata.Name == LeaderElectionService.DefaultLeaseName).Spec.HolderIdentity;
            var (leader, follower) = Identity(one) == holder ? (one, two) : (two, one);
            Assert.Equal(holder, Identity(leader));
            await Eventually.HoldsAsync(() => Task.FromResult(RoleOf(follower)), r => r == (false, holder),
                TimeSpan.FromSeconds(10), "the follower knows it follows, and whom");
            Assert.True(RoleOf(leader).IsLeader);
            Assert.Equal("true", await ReadyzLeaderAsync(leader));
            Assert.Equal("false", await ReadyzLeaderAsync(follower));

            await leader.WaitForAsync("ha", a => a.SyncStatus == SyncStatus.Synced, "the leader syncs");
            var followerView = await follower.Client.GetAsync(new GetRequest { Name = "ha", IncludeHistory = true });
            Assert.Equal(SyncStatus.Unknown, followerView.SyncStatus);
            Assert.Empty(followerView.History);
            Assert.Null((await MetricsScrape.FromAsync(follower)).Value("gitops_sync_total{result=\"Succeeded\"}"));
            Assert.Equal(0, (await MetricsScrape.FromAsync(follower)).Value("gitops_leader"));
            var refused = await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition,
                () => follower.Client.SyncAsync(new SyncRequest { Name = "ha" }).ResponseAsync);
            Assert.Contains("not the leader", refused.Status.Detail, StringComparison.Ordinal);

            // The leader stops (it hands the Lease over); the follower leads and applies a new commit.
            await leader.StopAsync();
            var change = repo.CommitFiles("a: 2", ("app/a.yaml", TestManifests.ConfigMap("a", "2")));
            repo.Push("main");
            await follower.WaitForAsync("ha", a => a.Revision?.Sha == change && a.SyncStatus == SyncStatus.Synced,
                "the new leader syncs the new commit");
            Assert.Equal("2", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("a", ns.Name)).Data["value"]);
            var after = await cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync(LeaderElectionService.DefaultLeaseName, ns.Name);
            Assert.Equal(Identity(follower), after.Spec.HolderIdentity);
            Assert.True(RoleOf(follower).IsLeader);
        }
        finally
        {
            await one.DisposeAsync();
            await two.DisposeAsync();
        }
    }

    private static string Identity(ControllerHarness controller) => Leadership(controller).Identity;

    private static (bool IsLeader, string? Holder) RoleOf(ControllerHarness controller) =>
        (Leadership(controller).IsLeader, Leadership(controller).Holder);

    private static Leadership Leadership(ControllerHarness controller) =>
        (Leadership)controller.Services.GetService(typeof(Leadership))!;

    private static async Task<string?> ReadyzLeaderAsync(ControllerHarness controller)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{controller.HttpPort}/readyz"));
        response.EnsureSuccessStatusCode();
        return response.Headers.TryGetValues("X-Leader", out var values) ? values.Single() : null;
    }
}
