using GitOps.Api.V1;
using GitOps.Applications;
using GitOps.Controller.Applications;
using GitOps.Controller.HighAvailability;
using GitOps.Source.Webhooks;
using GitOps.Testing;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace GitOps.Controller.Tests;

/// <summary>A webhook that reaches a follower is not lost: the follower sets the Application's refresh
/// annotation and the leader, watching Applications, reconciles the app at once (the interval here is an hour).
/// The same annotation set by hand asks for a refresh too.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class CrdRefreshForwardingTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task A_webhook_received_by_the_follower_is_reconciled_by_the_leader()
    {
        await CrdCluster.InstallCrdAsync(cluster);
        await using var ns = await cluster.CreateNamespaceAsync("forward");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("v1", ("app/a.yaml", TestManifests.ConfigMap("a", "1")));
        repo.Push("main");
        await CrdCluster.CreateAsync(cluster, ns.Name, TestManifests.Application("fwd", repo.FileUrl, "app", ns.Name));

        var election = ControllerHarness.LeaderElectionArgs(ns.Name);
        await using var one = await CrdController.StartAsync(cluster, ns.Name, TimeSpan.FromHours(1), election);
        await using var two = await CrdController.StartAsync(cluster, ns.Name, TimeSpan.FromHours(1), election);
        var (leader, follower) = (await Eventually.HoldsAsync(() => Task.FromResult(Roles(one, two)), r => r is not null,
            TimeSpan.FromSeconds(20), "one replica leads, the other knows it follows"))!.Value;
        await leader.WaitForAsync("fwd", a => a.SyncStatus == SyncStatus.Synced, "the leader syncs v1");

        var v2 = repo.CommitFiles("v2", ("app/a.yaml", TestManifests.ConfigMap("a", "2")));
        repo.Push("main");
        // What the webhook endpoint does once it has parsed and authenticated a push for this repository.
        await follower.Services.GetRequiredService<IRefreshQueue>().EnqueueAsync(repo.FileUrl, "main", ["app/a.yaml"], CancellationToken.None);

        var app = await CrdCluster.GetAsync(cluster, ns.Name, "fwd");
        Assert.NotNull((string?)app["metadata"]?["annotations"]?[ApplicationDocuments.RefreshAnnotation]);
        await leader.WaitForAsync("fwd", a => a.Revision?.Sha == v2 && a.SyncStatus == SyncStatus.Synced,
            "the leader syncs the pushed commit", 30);
        Assert.Equal("2", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("a", ns.Name)).Data["value"]);

        // By hand, as `kubectl annotate application fwd gitops.dev/refresh=now --overwrite` does.
        var v3 = repo.CommitFiles("v3", ("app/a.yaml", TestManifests.ConfigMap("a", "3")));
        repo.Push("main");
        await cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(new { metadata = new { annotations = new Dictionary<string, string> { [ApplicationDocuments.RefreshAnnotation] = "by-hand" } } },
                V1Patch.PatchType.MergePatch),
            ApplicationDocuments.Group, ApplicationDocuments.Version, ns.Name, ApplicationDocuments.Plural, "fwd");
        await leader.WaitForAsync("fwd", a => a.Revision?.Sha == v3, "a refresh annotation set by hand is honoured", 30);
    }

    private static (CrdController Leader, CrdController Follower)? Roles(CrdController one, CrdController two)
    {
        var (a, b) = (one.Services.GetRequiredService<Leadership>(), two.Services.GetRequiredService<Leadership>());
        return (a.Settled && b.Settled, a.IsLeader, b.IsLeader) switch
        {
            (true, true, false) => (one, two),
            (true, false, true) => (two, one),
            _ => null,
        };
    }
}
