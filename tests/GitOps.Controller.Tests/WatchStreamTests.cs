using GitOps.Api.V1;
using GitOps.Testing;
using Grpc.Core;

namespace GitOps.Controller.Tests;

/// <summary>`Watch` streams the current state, then each change, until the caller stops.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class WatchStreamTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Watch_streams_successive_states_of_an_app()
    {
        await using var ns = await cluster.CreateNamespaceAsync("watch");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("v1", ("app/a.yaml", TestManifests.ConfigMap("a", "v1")));
        repo.Push("main");
        await using var controller = await ControllerHarness.StartAsync(cluster,
            TestManifests.Application("watched", repo.FileUrl, "app", ns.Name), interval: TimeSpan.FromMinutes(10));
        await controller.WaitForAsync("watched", a => a.SyncStatus == SyncStatus.Synced, "synced");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = controller.Client.Watch(new WatchRequest { Name = "watched" }, cancellationToken: cts.Token);
        Assert.True(await call.ResponseStream.MoveNext(cts.Token));
        Assert.Equal(SyncStatus.Synced, call.ResponseStream.Current.SyncStatus);

        await controller.Client.PauseAsync(new AppRef { Name = "watched" });
        var v2 = repo.CommitFiles("v2", ("app/a.yaml", TestManifests.ConfigMap("a", "v2")));
        repo.Push("main");
        await controller.Client.RefreshAsync(new AppRef { Name = "watched" });

        var seen = new List<Application>();
        while (await call.ResponseStream.MoveNext(cts.Token))
        {
            seen.Add(call.ResponseStream.Current);
            if (call.ResponseStream.Current.Revision?.Sha == v2)
            {
                break;
            }
        }

        Assert.Contains(seen, a => a.Paused && a.Revision?.Sha != v2);
        Assert.Equal(SyncStatus.OutOfSync, seen[^1].SyncStatus);
        Assert.True(seen.Count >= 2, $"expected several updates, got {seen.Count}");
    }

    [Fact]
    public async Task Watching_an_unknown_app_fails_with_not_found()
    {
        await using var controller = await ControllerHarness.StartAsync(cluster, "");
        using var call = controller.Client.Watch(new WatchRequest { Name = "ghost" });
        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
    }
}
