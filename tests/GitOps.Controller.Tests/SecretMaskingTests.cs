using GitOps.Api.V1;
using GitOps.Testing;
using Grpc.Core;

namespace GitOps.Controller.Tests;

/// <summary>Every read RPC, asked with a read-only token about apps holding Secrets (data, stringData, and a data
/// value that is not valid base64), answers without any of the values, in plain or base64 form.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class SecretMaskingTests(LocalClusterFixture cluster)
{
    private const string Tokens = """
        tokens:
          - name: viewer
            token: read-token-mask
            role: read-only
          - name: ops
            token: admin-token-mask
            role: admin
        """;

    private const string DataValue = "d4ta-s3cret-value";
    private const string StringDataValue = "str1ng-s3cret-value";
    private const string NotBase64Value = "not*base64*s3cret";

    [Fact]
    public async Task No_read_rpc_returns_a_secret_value()
    {
        await using var ns = await cluster.CreateNamespaceAsync("mask");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("secrets",
            ("good/secret.yaml", TestManifests.SecretWithCopies(DataValue, StringDataValue)),
            ("good/cm.yaml", TestManifests.ConfigMap("plain", "v1")),
            ("bad/secret.yaml", TestManifests.SecretNotBase64(NotBase64Value)));
        repo.Push("main");
        var apps = TestManifests.Application("mask-good", repo.FileUrl, "good", ns.Name) + "---\n"
                   + TestManifests.Application("mask-bad", repo.FileUrl, "bad", ns.Name, automated: false);
        await using var controller = await ControllerHarness.StartAsync(cluster, apps, Tokens);
        var admin = Bearer("admin-token-mask");
        await Eventually.HoldsAsync(
            () => controller.Client.GetAsync(new GetRequest { Name = "mask-good", IncludeHistory = true }, admin).ResponseAsync,
            a => a.SyncStatus == SyncStatus.Synced && a.History.Count > 0, TimeSpan.FromSeconds(45),
            "the app with valid Secrets syncs");
        // A failed sync puts the API server's error (about the invalid value) into status and history.
        await controller.Client.SyncAsync(new SyncRequest { Name = "mask-bad" }, admin);

        var read = Bearer("read-token-mask");
        var answers = new List<(string Rpc, string Text)>
        {
            ("List", (await controller.Client.ListAsync(new ListRequest(), read)).ToString()),
        };
        foreach (var name in new[] { "mask-good", "mask-bad" })
        {
            var get = await controller.Client.GetAsync(new GetRequest { Name = name, IncludeHistory = true }, read);
            answers.Add(($"Get {name}", get.ToString()));
            answers.Add(($"History {name}", (await controller.Client.HistoryAsync(new AppRef { Name = name }, read)).ToString()));
            answers.Add(($"Diff {name}", (await controller.Client.DiffAsync(new DiffRequest { Name = name }, read)).ToString()));
            var manifests = await controller.Client.ManifestsAsync(new ManifestsRequest { Name = name }, read);
            Assert.Contains("kind: Secret", manifests.Yaml, StringComparison.Ordinal);
            answers.Add(($"Manifests {name}", manifests.ToString()));
            answers.Add(($"Refresh {name}", (await controller.Client.RefreshAsync(new AppRef { Name = name }, admin)).ToString()));
            answers.Add(($"Sync --dry-run {name}",
                (await controller.Client.SyncAsync(new SyncRequest { Name = name, DryRun = true }, admin)).ToString()));
            using var watch = controller.Client.Watch(new WatchRequest { Name = name }, read);
            Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
            answers.Add(($"Watch {name}", watch.ResponseStream.Current.ToString()));
        }

        var bad = answers.Single(a => a.Rpc == "Get mask-bad").Text;
        Assert.Contains("Failed", bad, StringComparison.Ordinal); // the failed sync's error is in there
        string[] values = [DataValue, TestManifests.Base64(DataValue), StringDataValue, TestManifests.Base64(StringDataValue), NotBase64Value];
        foreach (var (rpc, text) in answers)
        {
            foreach (var value in values)
            {
                Assert.False(text.Contains(value, StringComparison.Ordinal), $"{rpc} returned the Secret value {value}:\n{text}");
            }
        }
    }

    private static Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };
}
