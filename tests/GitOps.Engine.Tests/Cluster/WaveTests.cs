using GitOps.Engine.Tests.Support;
using GitOps.Testing;
using static GitOps.Engine.Tests.Support.Manifests;

namespace GitOps.Engine.Tests.Cluster;

/// <summary>Sync waves first, then kind order, then name.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class WaveTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Waves_apply_in_order_then_kinds_then_names()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "waves");
        var progress = new List<string>();
        var result = await h.SyncAsync(new SyncOptions
            {
                MaxConcurrency = 1,
                WaitTimeout = TimeSpan.FromSeconds(30),
                OnProgress = (p, _) =>
                {
                    progress.Add(p.ToString());
                    return Task.CompletedTask;
                },
            },
            ConfigMap("late", wave: "2"),
            Service("svc"),
            ConfigMap("b-first"),
            ConfigMap("early", wave: "-1"),
            ConfigMap("a-first"),
            Deployment("web").With(Marks.SyncWave, "1"));
        result.Succeeded();

        var applied = result.Log.Where(l => l.Phase == "sync" && l.Key is not null && l.Message.StartsWith("created", StringComparison.Ordinal))
            .Select(l => l.Key!.Name).ToList();
        Assert.Equal(["early", "a-first", "b-first", "svc", "web", "late"], applied);
        var waves = result.Log.Where(l => l.Message.StartsWith("wave ", StringComparison.Ordinal)).Select(l => l.Message).ToList();
        Assert.Equal(["wave -1", "wave 0", "wave 1", "wave 2"], waves);
        Assert.Equal(["wave -1 (1 of 4)", "wave 0 (2 of 4)", "wave 1 (3 of 4)", "wave 2 (4 of 4)"], progress);
    }
}
