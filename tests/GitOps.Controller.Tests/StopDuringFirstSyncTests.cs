using GitOps.Api.V1;
using GitOps.Controller.State;
using GitOps.Testing;
using k8s;
using Xunit.Abstractions;
using Grpc.Net.Client;
using AppStatus = GitOps.Controller.State.AppStatus;

namespace GitOps.Controller.Tests;

/// <summary>A controller asked to stop (SIGTERM, as Kubernetes asks a pod) in the middle of its first sync of a few
/// hundred apps, with one sync waiting on a PreSync hook that never completes and a Watch stream open, exits by
/// itself well within the host's shutdown timeout, logs no error, and leaves what a kill would leave: the waiting
/// sync stays Running (recorded on the next start), nothing of it is applied, no app records a failure.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class StopDuringFirstSyncTests(LocalClusterFixture cluster, ITestOutputHelper output)
{
    private const int Apps = 300;
    private const string Prefix = "stopsync";
    private const string Hooked = Prefix + "-a-hooked"; // sorts first: the first sync starts with it

    [Fact]
    public async Task Stop_mid_sync_is_bounded_clean_and_leaves_what_a_kill_would()
    {
        await using var ns = await cluster.CreateNamespaceAsync(Prefix);
        using var repo = TempGitRepository.Create();
        var files = Enumerable.Range(0, Apps)
            .Select(i => ($"apps/{AppName(i)}/cm.yaml", TestManifests.ConfigMap(AppName(i), "v1")))
            .Append(($"apps/{Hooked}/cm.yaml", TestManifests.ConfigMap(Hooked, "v1")))
            .Append(($"apps/{Hooked}/hook.yaml", NeverEndingPreSyncJob))
            .ToArray();
        repo.CommitFiles("apps", files);
        repo.Push("main");
        var directory = Directory.CreateTempSubdirectory("gitops-stop-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "applications.yaml"), string.Join("---\n",
                Enumerable.Range(0, Apps).Select(AppName).Append(Hooked)
                    .Select(name => TestManifests.Application(name, repo.FileUrl, $"apps/{name}", ns.Name))));
            // Two workers: one waits on the hook, the other works through the queue. The grace is short so the test
            // is quick; the deadline below is shorter than the host's timeout, so anything that waits for the timeout
            // instead of observing the stop fails it.
            await using var controller = await RestartableControllerProcess.StartAsync(cluster.KubeconfigPath, directory,
                "--concurrency", "2", "--shutdown-grace", "00:00:03", "--shutdown-timeout", "00:00:40");
            using var channel = GrpcChannel.ForAddress($"http://{controller.Server}");
            var client = new ApplicationService.ApplicationServiceClient(channel);
            await Eventually.HoldsAsync(() => client.GetAsync(new GetRequest { Name = Hooked }).ResponseAsync,
                a => a.Operation?.Phase == "Running", TimeSpan.FromSeconds(90), "the hooked app's sync waits on its PreSync hook");
            var synced = (await Eventually.HoldsAsync(() => client.ListAsync(new ListRequest()).ResponseAsync,
                l => l.Applications.Count(a => a.SyncStatus == SyncStatus.Synced) >= 10, TimeSpan.FromSeconds(90),
                "the other worker syncs apps meanwhile")).Applications.Count(a => a.SyncStatus == SyncStatus.Synced);
            Assert.True(synced < Apps, $"the stop comes during the first sync ({synced} of {Apps} apps synced)");
            using var watch = client.Watch(new WatchRequest());
            Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None), "the Watch stream is open");

            var stopped = await controller.TerminateAsync(TimeSpan.FromSeconds(25));

            Assert.True(stopped is not null, "the controller exited within 25 s of SIGTERM:\n" + Tail(controller.Log));
            output.WriteLine($"exited {stopped.Value.Elapsed.TotalSeconds:0.0} s after SIGTERM, {synced} of {Apps} apps synced before it");
            Assert.True(stopped.Value.ExitCode == 0, $"exit code {stopped.Value.ExitCode}:\n" + Tail(controller.Log));
            var log = controller.Log.Split('\n');
            Assert.True(!log.Any(l => l.Contains(" ERR ", StringComparison.Ordinal) || l.Contains(" FTL ", StringComparison.Ordinal)
                                      || l.Contains("Unhandled exception", StringComparison.Ordinal)),
                "no error is logged on a stop:\n" + Tail(controller.Log));
            Assert.Contains(log, l => l.Contains($"Application {Hooked}: in-flight reconcile abandoned", StringComparison.Ordinal));

            var store = new LocalStateStore(Path.Combine(directory, "state"), TimeProvider.System);
            var hooked = await store.GetAsync(Hooked, CancellationToken.None);
            Assert.Equal(OperationPhase.Running, hooked.Operation?.Phase);
            Assert.Empty(hooked.History);
            await AssertNotFoundAsync(() => cluster.Client.CoreV1.ReadNamespacedConfigMapAsync(Hooked, ns.Name));
            foreach (var name in Enumerable.Range(0, Apps).Select(AppName))
            {
                var status = await store.GetAsync(name, CancellationToken.None);
                Assert.True(NoFailure(status), $"{name}: {string.Join("; ", status.Conditions.Select(c => $"{c.Type}: {c.Message}"))}");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string AppName(int i) => $"{Prefix}-b-{i:D3}";

    private static bool NoFailure(AppStatus status) =>
        status.Conditions.Count == 0 && status.History.All(h => h.Result != GitOps.Engine.SyncOutcome.Failed)
        && status.Operation?.Phase != OperationPhase.Failed;

    private static async Task AssertNotFoundAsync(Func<Task> read)
    {
        var e = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(read);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, e.Response.StatusCode);
    }

    private static string Tail(string log) => string.Join('\n', log.Split('\n').TakeLast(40));

    // No node runs its Pod on this control plane, so the Job never completes and the sync waits on it.
    private const string NeverEndingPreSyncJob = """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: stopsync-presync
          annotations:
            gitops.dev/hook: PreSync
        spec:
          backoffLimit: 0
          template:
            spec:
              restartPolicy: Never
              containers:
                - name: run
                  image: busybox
                  command: ["true"]
        """;
}
