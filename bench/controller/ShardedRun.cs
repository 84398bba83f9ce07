using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using GitOps.Controller.HighAvailability;
using GitOps.Controller.Hosting;
using GitOps.Controller.Observability;
using GitOps.Controller.State;
using GitOps.Engine;
using Microsoft.AspNetCore.Builder;

namespace GitOps.Bench.Controller;

/// <summary>
/// --sharded: two controller hosts in this process with dynamic sharding (--leader-elect --shards 2) on one app
/// set. Reports the time until all apps are Synced, whether any app was reconciled by both hosts (each host keeps
/// its own state directory, so an app with a status in both was reconciled by both; reconciles are counted per
/// host from each host's own meter), then disposes one host without stopping it (its Leases are not handed over,
/// as after a crash) and reports when the survivor holds both shards, syncs a commit pushed to an app of the
/// lost shard, and has reconciled every app of that shard.
/// </summary>
internal sealed class ShardedRun(Fixture fixture, string kubeconfig, string root, int concurrency, int leaseSeconds,
    Action<string, TimeSpan, string> add, Func<Func<Task<bool>>, TimeSpan, TimeSpan?, Task<bool>> until, Func<int> freePort)
{
    private const int Shards = 2;

    public async Task RunAsync()
    {
        var hosts = new[] { Build(0), Build(1) };
        var stores = hosts.Select(h => h.Services.GetRequiredService<IStateStore>()).ToArray();
        var shards = hosts.Select(h => h.Services.GetRequiredService<ShardOwnership>()).ToArray();
        var reconciles = new long[hosts.Length];
        using var listener = CountReconciles(hosts, reconciles);
        var alive = hosts.ToList();
        try
        {
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(hosts.Select(h => h.StartAsync()));
            var split = await until(() => Task.FromResult(shards.All(s => s.Held.Count == 1)), TimeSpan.FromMinutes(2), null);
            add("both hosts hold one shard each", sw.Elapsed, split ? $"load {Load()}" : "TIMED OUT");
            var synced = await until(async () => await CountAsync(stores, shards, fixture.AppNames, s => s.Sync == SyncState.Synced)
                                                  == fixture.AppNames.Count, TimeSpan.FromMinutes(60), null);
            add($"all {fixture.AppNames.Count} apps Synced, 2 hosts × 1 shard", sw.Elapsed,
                $"load {Load()}; reconciles host 0 {Interlocked.Read(ref reconciles[0])}, host 1 {Interlocked.Read(ref reconciles[1])}"
                + (synced ? "" : ", TIMED OUT"));

            var both = 0;
            foreach (var name in fixture.AppNames)
            {
                both += (await stores[0].GetAsync(name, CancellationToken.None)).ReconciledAt is not null
                        && (await stores[1].GetAsync(name, CancellationToken.None)).ReconciledAt is not null ? 1 : 0;
            }

            var perShard = fixture.AppNames.GroupBy(n => ShardFilter.ShardOf(n, Shards)).OrderBy(g => g.Key).Select(g => g.Count());
            add("apps reconciled by both hosts", TimeSpan.Zero, $"{both} of {fixture.AppNames.Count} (apps per shard: {string.Join(" / ", perShard)})");

            // Host 1 "crashes": disposed without StopAsync, so it neither releases its shard nor leaves the membership.
            var lost = shards[1].Held.Single();
            var lostApps = fixture.AppNames.Where(n => ShardFilter.ShardOf(n, Shards) == lost).ToList();
            var victim = fixture.AppNames.ToList().IndexOf(lostApps[lostApps.Count / 2]);
            var (sha, _) = fixture.CommitChange([victim], 1);
            sw.Restart();
            alive.Remove(hosts[1]);
            await hosts[1].DisposeAsync();
            var takeover = await until(() => Task.FromResult(shards[0].Held.Count == Shards), TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(20));
            add($"host 1 killed → host 0 holds both shards (Lease {leaseSeconds} s)", sw.Elapsed, takeover ? $"load {Load()}" : "TIMED OUT");
            var applied = await until(async () =>
            {
                var s = await stores[0].GetAsync(fixture.AppNames[victim], CancellationToken.None);
                return s.Sync == SyncState.Synced && s.History.Count > 0 && s.History[^1].Revision.Sha == sha;
            }, TimeSpan.FromMinutes(30), TimeSpan.FromMilliseconds(20));
            add("… an app of the lost shard synced a commit pushed at the kill", sw.Elapsed, applied ? "" : "TIMED OUT");
            var all = await until(async () => await CountAsync([stores[0]], null, lostApps, s => s.Sync == SyncState.Synced) == lostApps.Count,
                TimeSpan.FromMinutes(60), null);
            add($"… all {lostApps.Count} apps of the lost shard Synced by host 0", sw.Elapsed, (all ? "" : "TIMED OUT, ") + $"load {Load()}");
        }
        finally
        {
            foreach (var host in alive)
            {
                await host.StopAsync();
                await host.DisposeAsync();
            }
        }
    }

    private WebApplication Build(int index) => ControllerHost.Build(
    [
        "--applications", fixture.AppsFile,
        "--state-dir", Path.Combine(root, $"state-{index}"),
        "--cache-dir", Path.Combine(root, $"cache-{index}"),
        "--kubeconfig", kubeconfig,
        "--grpc-listen", $"127.0.0.1:{freePort()}",
        "--http-listen", $"127.0.0.1:{freePort()}",
        "--interval", "01:00:00",
        "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture),
        "--leader-elect", "--lease-namespace", fixture.Namespaces[0], "--shards", Shards.ToString(CultureInfo.InvariantCulture),
        "--Controller:LeaseDuration", TimeSpan.FromSeconds(leaseSeconds).ToString(),
        "--Controller:RenewDeadline", TimeSpan.FromSeconds(leaseSeconds * 2.0 / 3).ToString(),
        "--Controller:RetryPeriod", TimeSpan.FromSeconds(Math.Max(0.5, leaseSeconds / 7.5)).ToString(),
    ]);

    /// <summary>Reconciles per host: each host has its own meter instance.</summary>
    private static MeterListener CountReconciles(WebApplication[] hosts, long[] counts)
    {
        var meters = hosts.Select(h => h.Services.GetRequiredService<ControllerMetrics>().Meter).ToList();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "gitops_reconcile_duration_seconds" && meters.Contains(instrument.Meter))
                {
                    l.EnableMeasurementEvents(instrument, meters.IndexOf(instrument.Meter));
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, _, _, state) => Interlocked.Increment(ref counts[(int)state!]));
        listener.Start();
        return listener;
    }

    /// <summary>Apps matching, each read from the store of the host holding its shard (or from the only store).</summary>
    private static async Task<int> CountAsync(IStateStore[] stores, ShardOwnership[]? shards, IEnumerable<string> apps,
        Func<AppStatus, bool> predicate)
    {
        var n = 0;
        foreach (var app in apps)
        {
            var owner = shards is null ? 0 : Array.FindIndex(shards, s => s.Owns(app));
            n += owner >= 0 && predicate(await stores[owner].GetAsync(app, CancellationToken.None)) ? 1 : 0;
        }

        return n;
    }

    private static string Load() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
