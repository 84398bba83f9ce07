using GitOps.Api.V1;
using GitOps.Controller.Hosting;
using GitOps.Engine;
using GitOps.Testing;
using k8s;

namespace GitOps.Controller.Tests;

/// <summary>--installation-id: two controllers on one cluster whose apps share a name are two installations; each
/// reports the other's objects as needing adoption and neither prunes nor overwrites them. Setting an ID on a running
/// installation keeps its objects (they get stamped).</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class InstallationIdTests(LocalClusterFixture cluster)
{
    private const string App = "installation-twin";

    [Fact]
    public async Task Controllers_with_an_app_of_the_same_name_leave_each_others_objects_alone()
    {
        await using var ns = await cluster.CreateNamespaceAsync("twins");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("both", ("blue/shared.yaml", TestManifests.ConfigMap("shared", "blue")),
            ("blue/blue-only.yaml", TestManifests.ConfigMap("blue-only", "blue")),
            ("green/shared.yaml", TestManifests.ConfigMap("shared", "green")),
            ("green/green-only.yaml", TestManifests.ConfigMap("green-only", "green")));
        repo.Push("main");

        await using var blue = await ControllerHarness.StartAsync(cluster, TestManifests.Application(App, repo.FileUrl, "blue", ns.Name));
        await blue.WaitForAsync(App, a => a.SyncStatus == SyncStatus.Synced, "blue syncs first");
        Assert.Equal(blue.InstallationId, await StampAsync(ns.Name, "shared"));

        // Green wants blue's object: reported, naming blue's installation; its sync writes nothing.
        await using var green = await ControllerHarness.StartAsync(cluster, TestManifests.Application(App, repo.FileUrl, "green", ns.Name));
        var refused = await green.WaitForAsync(App, a => a.Conditions.Any(c => c.Type == "AdoptionRequired") && a.History.Count > 0,
            "green reports blue's object");
        var message = refused.Conditions.Single(c => c.Type == "AdoptionRequired").Message;
        Assert.Contains($"ConfigMap/{ns.Name}/shared (installation '{blue.InstallationId}')", message, StringComparison.Ordinal);
        Assert.Equal("blue", await ValueAsync(ns.Name, "shared"));
        Assert.Null(await ValueAsync(ns.Name, "green-only"));

        // Green gives the object up: its sync (with prune) creates its own and leaves blue's alone.
        repo.Git("rm", "--quiet", "green/shared.yaml");
        repo.CommitFiles("green gives shared up", ("green/green-only.yaml", TestManifests.ConfigMap("green-only", "green")));
        repo.Push("main");
        await green.WaitForAsync(App, a => a.SyncStatus == SyncStatus.Synced && a.Conditions.All(c => c.Type != "AdoptionRequired"),
            "green syncs its own object");
        Assert.Equal(green.InstallationId, await StampAsync(ns.Name, "green-only"));

        // Blue now wants green's object: reported the other way round; blue, pruning all along, never pruned it.
        repo.CommitFiles("blue wants green-only", ("blue/green-only.yaml", TestManifests.ConfigMap("green-only", "blue")));
        repo.Push("main");
        var blueView = await blue.WaitForAsync(App, a => a.Conditions.Any(c => c.Type == "AdoptionRequired"), "blue reports green's object");
        Assert.Contains($"ConfigMap/{ns.Name}/green-only (installation '{green.InstallationId}')",
            blueView.Conditions.Single(c => c.Type == "AdoptionRequired").Message, StringComparison.Ordinal);
        Assert.Equal("green", await ValueAsync(ns.Name, "green-only"));
        Assert.Equal("blue", await ValueAsync(ns.Name, "shared"));
        Assert.Equal("blue", await ValueAsync(ns.Name, "blue-only"));
    }

    [Fact]
    public async Task Setting_an_id_keeps_the_objects_and_stamps_them()
    {
        await using var ns = await cluster.CreateNamespaceAsync("stamp");
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("one", ("app/a.yaml", TestManifests.ConfigMap("a", "1")));
        repo.Push("main");
        var apps = TestManifests.Application("installation-upgrade", repo.FileUrl, "app", ns.Name);
        await using (var before = await ControllerHarness.StartAsync(cluster, apps, installationId: ""))
        {
            await before.WaitForAsync("installation-upgrade", a => a.SyncStatus == SyncStatus.Synced, "synced without an ID");
        }

        Assert.Null(await StampAsync(ns.Name, "a"));
        await using var after = await ControllerHarness.StartAsync(cluster, apps);
        await Eventually.HoldsAsync(() => StampAsync(ns.Name, "a"), id => id == after.InstallationId, TimeSpan.FromSeconds(45),
            "the next sync stamps the object");
        var app = await after.WaitForAsync("installation-upgrade", a => a.SyncStatus == SyncStatus.Synced, "synced with the ID");
        Assert.DoesNotContain(app.Conditions, c => c.Type == "AdoptionRequired");
    }

    [Fact]
    public void An_invalid_id_stops_the_controller_at_start()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ControllerHost.Build(["--installation-id", "not valid/"]));
        Assert.Contains("--installation-id", e.Message, StringComparison.Ordinal);
        Assert.Contains("not valid/", e.Message, StringComparison.Ordinal);
    }

    private async Task<string?> ValueAsync(string ns, string name) =>
        (await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: $"metadata.name={name}")).Items.SingleOrDefault()?.Data["value"];

    private async Task<string?> StampAsync(string ns, string name) =>
        (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync(name, ns)).Metadata.Annotations is { } annotations
        && annotations.TryGetValue(Marks.InstallationId, out var id) ? id : null;
}
