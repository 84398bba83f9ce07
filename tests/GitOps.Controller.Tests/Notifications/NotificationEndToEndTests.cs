using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Api.V1;
using GitOps.Testing;
using Grpc.Net.Client;

namespace GitOps.Controller.Tests.Notifications;

/// <summary>
/// Notifications through the real controller (a child process) and the real control plane: an app syncs, a bad
/// commit fails its sync (retried, so the failure repeats), a fix recovers it. A loopback receiver must get each
/// expected event exactly once, signed with the sink's HMAC key, and no payload may carry the app's Secret values.
/// </summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class NotificationEndToEndTests(LocalClusterFixture cluster)
{
    private const string App = "notify-e2e";
    private const string SigningKey = "e2e-hmac-key-5d1f";
    private static readonly string[] Passwords = ["pw-first-7c2e91", "pw-during-failure-4b8d03", "pw-after-fix-e6a512"];

    [Fact]
    public async Task Sync_failure_and_recovery_reach_the_receiver_once_each_signed_and_masked()
    {
        await using var ns = await cluster.CreateNamespaceAsync("notify");
        using var repo = TempGitRepository.Create();
        using var receiver = new WebhookReceiver();
        var first = repo.CommitFiles("v1", Files("v1", Passwords[0], broken: false));
        repo.Push("main");

        var directory = Path.Combine(Path.GetTempPath(), "gitops-notify-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            var config = Path.Combine(directory, "notifications.yaml");
            await File.WriteAllTextAsync(Path.Combine(directory, "url"), receiver.Url());
            await File.WriteAllTextAsync(Path.Combine(directory, "key"), SigningKey);
            await File.WriteAllTextAsync(config, """
                sinks:
                - name: ops
                  type: webhook
                  urlFrom: {file: url}
                  secretFrom: {file: key}
                subscriptions:
                - sinks: [ops]
                retryBase: 100ms
                retryMax: 1s
                """);
            await using var controller = await ControllerProcess.StartAsync(cluster.KubeconfigPath, AppYaml(repo.FileUrl, ns.Name),
                extraArgs: ["--notifications", config, "--Controller:RetryBase", "00:00:01", "--Controller:RetryMax", "00:00:02"]);
            using var channel = GrpcChannel.ForAddress("http://" + controller.Server);
            var client = new ApplicationService.ApplicationServiceClient(channel);

            await WaitForAsync(client, a => a.Revision?.Sha == first && a.SyncStatus == SyncStatus.Synced, "v1 synced");

            // A ConfigMap value the API server refuses (a number where a string must be): the whole set is refused.
            var bad = repo.CommitFiles("v2: broken", Files("v2", Passwords[1], broken: true));
            repo.Push("main");
            // Retried with backoff: the failure repeats, the notification must not.
            await Eventually.HoldsAsync(() => client.HistoryAsync(new AppRef { Name = App }).ResponseAsync,
                h => h.Entries.Any(e => e.Revision.Sha == bad && e.Result == "Failed" && e.Count >= 2),
                TimeSpan.FromSeconds(90), "the bad revision failed twice");

            var fixedSha = repo.CommitFiles("v3: fixed", Files("v3", Passwords[2], broken: false));
            repo.Push("main");
            await WaitForAsync(client, a => a.Revision?.Sha == fixedSha && a.SyncStatus == SyncStatus.Synced, "v3 synced");
            await Eventually.HoldsAsync(() => Task.FromResult(Events(receiver)),
                events => events.Contains(("on-sync-succeeded", fixedSha)), TimeSpan.FromSeconds(30), "the recovery notified");

            var received = Events(receiver);
            // Exactly these, once each: the first sync, the failure (though the sync failed at least twice), the recovery.
            Assert.Equal(new[] { ("on-sync-succeeded", first), ("on-sync-failed", bad), ("on-sync-succeeded", fixedSha) }.Order(),
                received.Order());

            foreach (var request in receiver.Requests)
            {
                var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningKey), request.Body));
                Assert.Equal(expected, request.Headers["X-GitOps-Signature-256"]);
                Assert.Equal((string?)JsonNode.Parse(request.Text)!["trigger"], request.Headers["X-GitOps-Event"]);
                foreach (var password in Passwords)
                {
                    Assert.DoesNotContain(password, request.Text, StringComparison.Ordinal);
                    Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(password)), request.Text, StringComparison.Ordinal);
                }
            }

            var failure = receiver.Requests.Single(r => r.Headers["X-GitOps-Event"] == "on-sync-failed");
            Assert.Equal(App, (string?)JsonNode.Parse(failure.Text)!["app"]);
            Assert.Contains("broken", failure.Text, StringComparison.Ordinal); // the failure names the refused object
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static List<(string Trigger, string Revision)> Events(WebhookReceiver receiver) => receiver.Requests
        .Select(r => JsonNode.Parse(r.Text)!)
        .Select(j => ((string)j["trigger"]!, (string?)j["revision"] ?? ""))
        .ToList();

    private static Task<Application> WaitForAsync(ApplicationService.ApplicationServiceClient client, Func<Application, bool> condition,
        string because) =>
        Eventually.HoldsAsync(() => client.GetAsync(new GetRequest { Name = App }).ResponseAsync, condition,
            TimeSpan.FromSeconds(90), because);

    private static (string, string)[] Files(string version, string password, bool broken) =>
    [
        ("app/settings.yaml", $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  version: {version}\n"),
        ("app/secret.yaml", $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: credentials\nstringData:\n  password: {password}\n"),
        ("app/broken.yaml", broken
            ? "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  replicas: 3\n"
            : "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  replicas: \"3\"\n"),
    ];

    private static string AppYaml(string repoUrl, string ns) => $"""
        apiVersion: gitops.dev/v1alpha1
        kind: Application
        metadata:
          name: {App}
        spec:
          source:
            repoURL: {repoUrl}
            targetRevision: main
            path: app
          destination:
            namespace: {ns}
          syncPolicy:
            automated:
              prune: true
        """;
}
