using k8s;
using k8s.Models;
using GitOps.Engine.Tests.Support;
using GitOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using static GitOps.Engine.Tests.Support.Manifests;

namespace GitOps.Engine.Tests.Cluster;

/// <summary>Two installations (engines with different installation IDs) with an app of the same name in one
/// namespace: neither prunes nor overwrites the other's objects, each reports the other's as needing adoption; an
/// object with our tracking mark but no installation ID (it predates the ID) stays ours and gets stamped.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class InstallationTests(LocalClusterFixture cluster)
{
    private static SyncOptions Prune => new() { Prune = true, AllowEmpty = true, WaitTimeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task Installations_with_an_app_of_the_same_name_leave_each_others_objects_alone()
    {
        await using var ns = await cluster.CreateNamespaceAsync("inst");
        var app = new AppTarget($"app-{ns.Name}", ns.Name);
        await using var blue = Engine($"blue-{ns.Name}");
        await using var green = Engine($"green-{ns.Name}");
        var hook = ConfigMap("setup").With(Marks.Hook, "PreSync");

        (await SyncAsync(blue, app, Prune, ConfigMap("shared", "blue"), ConfigMap("blue-only"), hook)).Succeeded();
        Assert.Equal($"blue-{ns.Name}", await StampAsync(ns.Name, "shared"));
        Assert.Equal($"blue-{ns.Name}", await StampAsync(ns.Name, "setup")); // hooks are stamped too
        var before = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("shared", ns.Name);

        // Green wants blue's object: reported, not applied over, and nothing of green's set is written.
        var refused = await SyncAsync(green, app, Prune, ConfigMap("shared", "green"), ConfigMap("green-only"));
        Assert.Equal(SyncOutcome.Failed, refused.Outcome);
        Assert.Contains("adoption required", refused.For("ConfigMap", "shared").Message, StringComparison.Ordinal);
        Assert.Contains($"blue-{ns.Name}", refused.For("ConfigMap", "shared").Message, StringComparison.Ordinal);
        var after = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("shared", ns.Name);
        Assert.Equal(before.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
        Assert.Equal("blue", after.Data["key"]);
        Assert.DoesNotContain("green-only", await NamesAsync(ns.Name));

        // Blue's hook is not green's to run (it would delete and recreate it).
        var hookRefused = await SyncAsync(green, app, Prune, ConfigMap("green-only"), ConfigMap("setup").With(Marks.Hook, "PreSync"));
        Assert.Equal(SyncOutcome.Failed, hookRefused.Outcome);
        Assert.Contains("adoption required: hook", hookRefused.For("ConfigMap", "setup").Message, StringComparison.Ordinal);

        var greenView = await CompareAsync(green, app, ConfigMap("shared", "green"), ConfigMap("green-only"));
        Assert.True(greenView.For("ConfigMap", "shared").AdoptionRequired);
        Assert.Equal($"blue-{ns.Name}", greenView.For("ConfigMap", "shared").ForeignInstallation);
        Assert.DoesNotContain(greenView.Resources, r => r.State == SyncState.Extraneous); // blue-only is not green's

        // Green's prune (its cache was filled after blue's objects existed) leaves blue's objects alone.
        var greenSync = await SyncAsync(green, app, Prune, ConfigMap("green-only"));
        greenSync.Succeeded();
        Assert.DoesNotContain(greenSync.Resources, r => r.Action == ResourceAction.Pruned);
        Assert.Equal(["blue-only", "green-only", "setup", "shared"], (await NamesAsync(ns.Name)).Order(StringComparer.Ordinal));
        Assert.Equal($"green-{ns.Name}", await StampAsync(ns.Name, "green-only"));

        // And the other way round.
        var blueView = await CompareAsync(blue, app, ConfigMap("blue-only"), ConfigMap("green-only", "blue"));
        Assert.True(blueView.For("ConfigMap", "green-only").AdoptionRequired);
        Assert.Equal($"green-{ns.Name}", blueView.For("ConfigMap", "green-only").ForeignInstallation);
        Assert.Equal(SyncState.Extraneous, blueView.For("ConfigMap", "shared").State); // blue's own, left out of this set

        var blueSync = await SyncAsync(blue, app, Prune, ConfigMap("blue-only"));
        blueSync.Succeeded();
        Assert.Equal(ResourceAction.Pruned, blueSync.For("ConfigMap", "shared").Action);
        Assert.DoesNotContain(blueSync.Resources, r => r.Key.Name == "green-only");
        Assert.Equal("1", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("green-only", ns.Name)).Data["key"]);
    }

    [Fact]
    public async Task An_object_with_our_mark_and_no_installation_id_stays_ours_and_is_stamped()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "inststamp");
        // Applied before the controller had an installation ID.
        (await h.SyncAsync(null, ConfigMap("kept"), ConfigMap("dropped"))).Succeeded();
        Assert.Null(await StampAsync(h.Ns, "kept"));

        await using var blue = Engine($"blue-{h.Ns}");
        var view = await CompareAsync(blue, h.App, ConfigMap("kept"));
        var kept = view.For("ConfigMap", "kept");
        Assert.False(kept.AdoptionRequired);
        Assert.Null(kept.Error);
        Assert.Equal(SyncState.OutOfSync, kept.State); // not stamped yet: the next sync stamps it
        Assert.Equal(SyncState.Extraneous, view.For("ConfigMap", "dropped").State);

        var sync = await SyncAsync(blue, h.App, Prune, ConfigMap("kept"));
        sync.Succeeded();
        Assert.Equal(ResourceAction.Configured, sync.For("ConfigMap", "kept").Action);
        Assert.Equal(ResourceAction.Pruned, sync.For("ConfigMap", "dropped").Action);
        Assert.Equal($"blue-{h.Ns}", await StampAsync(h.Ns, "kept"));
        Assert.Equal(SyncState.Synced, (await CompareAsync(blue, h.App, ConfigMap("kept"))).For("ConfigMap", "kept").State);
    }

    [Fact]
    public async Task Without_an_id_a_stamped_object_is_foreign_and_adopting_it_removes_the_stamp()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "instnone");
        // Another installation's object of an app of our name, its marks written by another field manager.
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = "theirs",
                Labels = new Dictionary<string, string> { [Marks.AppLabel] = h.App.Name },
                Annotations = new Dictionary<string, string>
                {
                    [Marks.TrackingId] = $"{h.App.Name}:/ConfigMap:{h.Ns}/theirs",
                    [Marks.InstallationId] = "green",
                },
            },
            Data = new Dictionary<string, string> { ["key"] = "green" },
        }, h.Ns);

        var view = await h.CompareAsync(null, ConfigMap("theirs"));
        Assert.True(view.For("ConfigMap", "theirs").AdoptionRequired);
        Assert.Equal("green", view.For("ConfigMap", "theirs").ForeignInstallation);

        var prune = await h.SyncAsync(Prune, ConfigMap("mine"));
        prune.Succeeded();
        Assert.DoesNotContain(prune.Resources, r => r.Key.Name == "theirs");
        Assert.Equal("green", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("theirs", h.Ns)).Data["key"]);

        var adopt = await h.SyncAsync(Prune with { AdoptExisting = true }, ConfigMap("mine"), ConfigMap("theirs", "ours"));
        adopt.Succeeded();
        Assert.Null(await StampAsync(h.Ns, "theirs"));
        Assert.Equal("ours", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("theirs", h.Ns)).Data["key"]);
        Assert.Equal(SyncState.Synced, (await h.CompareAsync(null, ConfigMap("mine"), ConfigMap("theirs", "ours"))).For("ConfigMap", "theirs").State);
    }

    private ClusterEngine Engine(string installationId) =>
        new(cluster.Client, TimeProvider.System, NullLogger<ClusterEngine>.Instance, installationId);

    private static Task<SyncResult> SyncAsync(ClusterEngine engine, AppTarget app, SyncOptions options, params System.Text.Json.Nodes.JsonObject[] objects) =>
        engine.SyncAsync(app, EngineHarness.Set(objects), options, CancellationToken.None);

    private static Task<ComparisonResult> CompareAsync(ClusterEngine engine, AppTarget app, params System.Text.Json.Nodes.JsonObject[] objects) =>
        engine.CompareAsync(app, EngineHarness.Set(objects), new ComparisonOptions(), CancellationToken.None);

    private async Task<string?> StampAsync(string ns, string name) =>
        (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync(name, ns)).Metadata.Annotations is { } annotations
        && annotations.TryGetValue(Marks.InstallationId, out var id) ? id : null;

    private async Task<List<string>> NamesAsync(string ns) =>
        [.. (await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: Marks.AppLabel)).Items.Select(c => c.Metadata.Name)];
}
