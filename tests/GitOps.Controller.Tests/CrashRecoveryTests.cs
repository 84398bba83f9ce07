using GitOps.Api.V1;
using GitOps.Testing;
using Grpc.Net.Client;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>A completed sync does not vanish from history after a crash: the running operation (revision,
/// initiator, start) is persisted before the first write; a controller killed with SIGKILL after the engine applied
/// but before the status was saved is followed by one that finds the operation and records it.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class CrashRecoveryTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task A_sync_killed_before_its_status_was_saved_is_recorded_after_restart()
    {
        await using var ns = await cluster.CreateNamespaceAsync("crash");
        using var repo = TempGitRepository.Create();
        var sha = repo.CommitFiles("v1", ("app/cm.yaml", TestManifests.ConfigMap("crash", "v1")));
        repo.Push("main");
        var directory = Directory.CreateTempSubdirectory("gitops-crash-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "applications.yaml"),
                TestManifests.Application("crash", repo.FileUrl, "app", ns.Name));

            await using (var first = await RestartableControllerProcess.StartAsync(cluster.KubeconfigPath, directory,
                             "--Controller:HoldAfterSyncForCrashTests", "true"))
            {
                using var firstChannel = GrpcChannel.ForAddress($"http://{first.Server}");
                var firstClient = new ApplicationService.ApplicationServiceClient(firstChannel);
                await Eventually.HoldsAsync(() => Task.FromResult(first.Log), log => log.Contains("holding after sync", StringComparison.Ordinal),
                    TimeSpan.FromSeconds(60), "the first controller applied and holds before saving the status");
                var running = await firstClient.GetAsync(new GetRequest { Name = "crash", IncludeHistory = true });
                Assert.Equal(("Running", sha), (running.Operation.Phase, running.Operation.Revision?.Sha));
                Assert.Empty(running.History);
                await first.KillAsync();
            }

            Assert.Equal("v1", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("crash", ns.Name)).Data["value"]);
            await using var second = await RestartableControllerProcess.StartAsync(cluster.KubeconfigPath, directory);
            using var channel = GrpcChannel.ForAddress($"http://{second.Server}");
            var client = new ApplicationService.ApplicationServiceClient(channel);
            var app = await Eventually.HoldsAsync(
                () => client.GetAsync(new GetRequest { Name = "crash", IncludeHistory = true }).ResponseAsync,
                a => a.History.Count > 0, TimeSpan.FromSeconds(60), "the restarted controller records the interrupted sync");
            var entry = Assert.Single(app.History);
            Assert.Equal(sha, entry.Revision.Sha);
            Assert.Equal("Succeeded", entry.Result);
            Assert.Equal("auto", entry.InitiatedBy);
            Assert.Equal("Succeeded", app.Operation.Phase);
            Assert.Equal(SyncStatus.Synced, app.SyncStatus);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
