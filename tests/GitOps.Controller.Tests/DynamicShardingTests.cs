using GitOps.Api.V1;
using GitOps.Controller.HighAvailability;
using GitOps.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>--shards M: replicas share M shard Leases by fair share; every app is reconciled by the one replica
/// holding its shard; a killed replica's shards are taken over once its Leases expire, a stopped one's at once.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class DynamicShardingTests(LocalClusterFixture cluster)
{
    private const int Shards = 4;

    [Fact]
    public async Task Each_app_is_reconciled_by_one_replica_and_a_killed_replicas_shards_are_taken_over()
    {
        await using var ns = await cluster.CreateNamespaceAsync("dynshard");
        using var repo = TempGitRepository.Create();
        var names = CommitApps(repo, ns.Name);
        var directories = new[] { Directory.CreateTempSubdirectory("gitops-dyn-").FullName, Directory.CreateTempSubdirectory("gitops-dyn-").FullName };
        // Replicas of one installation: the survivor owns what the dead replica applied.
        var installation = TestInstallations.New();
        var replicas = new List<RestartableControllerProcess>();
        var channels = new List<GrpcChannel>();
        try
        {
            // No apps until the shards are split, so no app is reconciled by a replica that held every shard at first.
            foreach (var directory in directories)
            {
                await File.WriteAllTextAsync(Path.Combine(directory, "applications.yaml"), "");
                replicas.Add(await RestartableControllerProcess.StartAsync(cluster.KubeconfigPath, directory,
                    [.. ControllerHarness.DynamicShardArgs(ns.Name, Shards), TestInstallations.Flag, installation]));
                channels.Add(GrpcChannel.ForAddress($"http://{replicas[^1].Server}"));
            }

            var held = await SplitAsync(replicas, because: "the two replicas hold two shards each");
            var clients = channels.Select(c => new ApplicationService.ApplicationServiceClient(c)).ToList();
            var apps = string.Join("---\n", names.Select(n => TestManifests.Application(n, repo.FileUrl, n, ns.Name)));
            foreach (var directory in directories)
            {
                await File.WriteAllTextAsync(Path.Combine(directory, "applications.yaml"), apps);
            }

            int OwnerOf(string app) => held[0].Contains(ShardFilter.ShardOf(app, Shards)) ? 0 : 1;
            foreach (var name in names)
            {
                var owner = OwnerOf(name);
                await Eventually.HoldsAsync(() => GetOrNullAsync(clients[owner], name),
                    a => a?.SyncStatus == SyncStatus.Synced, TimeSpan.FromSeconds(90), $"replica {owner} syncs {name}\n{replicas[owner].Log}");
            }

            foreach (var name in names)
            {
                var other = await clients[1 - OwnerOf(name)].GetAsync(new GetRequest { Name = name, IncludeHistory = true });
                Assert.True(other.SyncStatus == SyncStatus.Unknown && other.History.Count == 0,
                    $"{name} (shard {ShardFilter.ShardOf(name, Shards)}) was reconciled by the replica that does not hold its shard too");
            }

            // Replica 0 dies (SIGKILL: its Leases are not handed over); a commit lands on one app of each of its shards.
            await replicas[0].KillAsync();
            var orphans = held[0].Select(s => names.First(n => ShardFilter.ShardOf(n, Shards) == s)).ToList();
            var change = repo.CommitFiles("orphans: 2", [.. orphans.Select(n => ($"{n}/cm.yaml", TestManifests.ConfigMap(n, "2")))]);
            repo.Push("main");
            await Eventually.HoldsAsync(() => ControllerHarness.HeldShardsAsync(replicas[1].HttpPort),
                h => h is { Length: Shards }, TimeSpan.FromSeconds(60), $"the survivor takes every shard\n{replicas[1].Log}");
            foreach (var orphan in orphans)
            {
                await Eventually.HoldsAsync(() => clients[1].GetAsync(new GetRequest { Name = orphan }).ResponseAsync,
                    a => a.SyncStatus == SyncStatus.Synced && a.Revision?.Sha == change, TimeSpan.FromSeconds(90),
                    $"the survivor syncs the new commit of {orphan}\n{replicas[1].Log}");
                Assert.Equal("2", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync(orphan, ns.Name)).Data["value"]);
            }
        }
        finally
        {
            channels.ForEach(c => c.Dispose());
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }

            foreach (var directory in directories)
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public async Task A_stopped_replica_hands_its_shards_over_and_writes_go_to_the_shards_holder()
    {
        await using var ns = await cluster.CreateNamespaceAsync("dynstop");
        using var repo = TempGitRepository.Create();
        var names = CommitApps(repo, ns.Name);
        var apps = string.Join("---\n", names.Select(n => TestManifests.Application(n, repo.FileUrl, n, ns.Name)));
        var (args, installation) = (ControllerHarness.DynamicShardArgs(ns.Name, Shards), TestInstallations.New());
        await using var one = await ControllerHarness.StartAsync(cluster, apps, extraArgs: args, installationId: installation);
        await using var two = await ControllerHarness.StartAsync(cluster, apps, extraArgs: args, installationId: installation);
        var held = await SplitAsync([one.HttpPort, two.HttpPort], "the two replicas hold two shards each");
        Assert.Equal(2, (await MetricsScrape.FromAsync(one)).Value("gitops_shards_held"));

        var elsewhere = names.First(n => held[1].Contains(ShardFilter.ShardOf(n, Shards)));
        // Refused, naming the holder once this replica has seen the other's Lease (a round after the split).
        await Eventually.HoldsAsync(async () =>
            {
                var refused = await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition,
                    () => one.Client.SyncAsync(new SyncRequest { Name = elsewhere }).ResponseAsync);
                Assert.Contains("not this replica's shard", refused.Status.Detail, StringComparison.Ordinal);
                return refused.Status.Detail;
            },
            detail => detail.Contains(Identity(two), StringComparison.Ordinal), TimeSpan.FromSeconds(20), "the refusal names the shard's holder");

        await one.StopAsync();
        var leases = (await cluster.Client.CoordinationV1.ListNamespacedLeaseAsync(ns.Name)).Items;
        Assert.DoesNotContain(leases, l => l.Spec.HolderIdentity == Identity(one) && l.Metadata.Name.Contains("-member-", StringComparison.Ordinal));
        foreach (var shard in held[0])
        {
            var lease = leases.Single(l => l.Metadata.Name == $"{LeaderElectionService.DefaultLeaseName}-shard-{shard}-of-{Shards}");
            Assert.True(lease.Spec.HolderIdentity == Identity(two) || lease.Spec.LeaseDurationSeconds == 1,
                $"shard {shard} was handed over (holder {lease.Spec.HolderIdentity}, {lease.Spec.LeaseDurationSeconds} s)");
        }

        await Eventually.HoldsAsync(() => ControllerHarness.HeldShardsAsync(two.HttpPort), h => h is { Length: Shards },
            TimeSpan.FromSeconds(30), "the other replica takes every shard");
        var moved = names.First(n => held[0].Contains(ShardFilter.ShardOf(n, Shards)));
        var change = repo.CommitFiles("moved: 2", ($"{moved}/cm.yaml", TestManifests.ConfigMap(moved, "2")));
        repo.Push("main");
        await two.WaitForAsync(moved, a => a.SyncStatus == SyncStatus.Synced && a.Revision?.Sha == change,
            "the new holder syncs the moved app's commit", seconds: 90);
    }

    /// <summary>Null until the replica has read the app from its (reloaded) applications file.</summary>
    private static async Task<Application?> GetOrNullAsync(ApplicationService.ApplicationServiceClient client, string name)
    {
        try
        {
            return await client.GetAsync(new GetRequest { Name = name });
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>One ConfigMap per app, pushed; about 20 names (unique to the test), at least two in each shard.</summary>
    private static List<string> CommitApps(TempGitRepository repo, string prefix)
    {
        var names = AppNames(prefix);
        repo.CommitFiles("one config map per app", [.. names.Select(n => ($"{n}/cm.yaml", TestManifests.ConfigMap(n, "1")))]);
        repo.Push("main");
        return names;
    }

    private static List<string> AppNames(string prefix)
    {
        var names = new List<string>();
        for (var i = 0; names.Count < 20 || Enumerable.Range(0, Shards).Any(s => names.Count(n => ShardFilter.ShardOf(n, Shards) == s) < 2); i++)
        {
            names.Add($"{prefix}-{i}");
        }

        return names;
    }

    private static Task<int[][]> SplitAsync(IReadOnlyList<RestartableControllerProcess> replicas, string because) =>
        SplitAsync([.. replicas.Select(r => r.HttpPort)], because);

    private static Task<int[][]> SplitAsync(int[] httpPorts, string because) =>
        Eventually.HoldsAsync(async () =>
            {
                var held = new int[httpPorts.Length][];
                for (var i = 0; i < httpPorts.Length; i++)
                {
                    held[i] = await ControllerHarness.HeldShardsAsync(httpPorts[i]) ?? [];
                }

                return held;
            },
            held => held.All(h => h.Length == Shards / held.Length) && held.SelectMany(h => h).Distinct().Count() == Shards,
            TimeSpan.FromSeconds(60), because);

    private static string Identity(ControllerHarness controller) =>
        ((Leadership)controller.Services.GetService(typeof(Leadership))!).Identity;
}
