using System.Text.Json.Nodes;
using GitOps.Api.V1;
using GitOps.Testing;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>CRD mode end to end: an Application object is synced, its status subresource carries sync state and
/// history, Events are recorded on it, and a restarted controller keeps the history.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class CrdApplicationTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Application_object_is_synced_with_status_history_and_events_that_survive_a_restart()
    {
        await CrdCluster.InstallCrdAsync(cluster);
        await using var ns = await cluster.CreateNamespaceAsync("crd");
        using var repo = TempGitRepository.Create();
        var first = repo.CommitFiles("config", ("app/a.yaml", TestManifests.ConfigMap("a", "1")));
        repo.Push("main");
        await CrdCluster.CreateAsync(cluster, ns.Name, TestManifests.Application("crd-app", repo.FileUrl, "app", ns.Name));

        await using (var controller = await CrdController.StartAsync(cluster, ns.Name))
        {
            var status = await CrdCluster.WaitForStatusAsync(cluster, ns.Name, "crd-app",
                s => (string?)s["sync"] == "Synced" && s["history"] is JsonArray { Count: 1 },
                "the status subresource says Synced with one history entry");
            Assert.Equal("Healthy", (string?)status["health"]);
            Assert.Equal(first, (string?)status["revision"]?["sha"]);
            var entry = status["history"]![0]!;
            Assert.Equal(1, (long)entry["id"]!);
            Assert.Equal("Succeeded", (string?)entry["result"]);
            Assert.Equal("auto", (string?)entry["initiatedBy"]);
            Assert.Null(status["failures"]);
            Assert.Equal("1", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("a", ns.Name)).Data["value"]);

            var events = await Eventually.HoldsAsync(() => CrdCluster.EventsAsync(cluster, ns.Name, "crd-app"),
                e => e.Any(x => x.Reason == "Synced"), TimeSpan.FromSeconds(20), "a Synced event is recorded");
            var synced = events.First(e => e.Reason == "Synced");
            Assert.Equal("Normal", synced.Type);
            Assert.Equal("Application", synced.InvolvedObject.Kind);
            Assert.Contains(first[..7], synced.Message, StringComparison.Ordinal);

            await controller.Client.PauseAsync(new AppRef { Name = "crd-app" });
            await CrdCluster.WaitForStatusAsync(cluster, ns.Name, "crd-app", s => (bool?)s["paused"] == true,
                "pausing is recorded in the status subresource");
            await Eventually.HoldsAsync(() => CrdCluster.EventsAsync(cluster, ns.Name, "crd-app"),
                e => e.Any(x => x.Reason == "Paused"), TimeSpan.FromSeconds(20), "a Paused event is recorded");
            await controller.Client.ResumeAsync(new AppRef { Name = "crd-app" });
            await CrdCluster.WaitForStatusAsync(cluster, ns.Name, "crd-app", s => (bool?)s["paused"] == false, "resumed");
        }

        // A new controller reads the history back from the status subresource: the next sync is entry 2.
        await using (var controller = await CrdController.StartAsync(cluster, ns.Name))
        {
            var before = await controller.WaitForAsync("crd-app", a => a.History.Count == 1, "history is read back after a restart");
            Assert.Equal(first, before.History[0].Revision.Sha);

            var second = repo.CommitFiles("a: 2", ("app/a.yaml", TestManifests.ConfigMap("a", "2")));
            repo.Push("main");
            var status = await CrdCluster.WaitForStatusAsync(cluster, ns.Name, "crd-app",
                s => (string?)s["revision"]?["sha"] == second && s["history"] is JsonArray { Count: 2 },
                "the new commit is synced and appended to the kept history");
            Assert.Equal([1L, 2L], status["history"]!.AsArray().Select(h => (long)h!["id"]!));
            Assert.Equal(first, (string?)status["history"]![0]!["revision"]?["sha"]);
        }
    }

    [Fact]
    public async Task Printer_columns_show_sync_health_and_revision()
    {
        await CrdCluster.InstallCrdAsync(cluster);
        await using var ns = await cluster.CreateNamespaceAsync("crdcol");
        using var repo = TempGitRepository.Create();
        var sha = repo.CommitFiles("config", ("app/a.yaml", TestManifests.ConfigMap("a", "1")));
        repo.Push("main");
        await CrdCluster.CreateAsync(cluster, ns.Name, TestManifests.Application("cols", repo.FileUrl, "app", ns.Name));
        await using var controller = await CrdController.StartAsync(cluster, ns.Name);
        await CrdCluster.WaitForStatusAsync(cluster, ns.Name, "cols", s => (string?)s["sync"] == "Synced", "synced");

        var (code, output) = await CrdCluster.KubectlAsync(cluster, "get", "gapp", "-n", ns.Name, "--no-headers");
        Assert.True(code == 0, output);
        Assert.Matches($@"^cols\s+Synced\s+Healthy\s+{sha}\s+", output);
    }
}
