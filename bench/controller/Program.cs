using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using GitOps.Bench.Controller;
using GitOps.Controller.Hosting;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Engine;
using IClusterEngine = GitOps.Engine.IClusterEngine;
using k8s;
using k8s.Models;

// Controller benchmark on the local control plane (kubeconfig from `bash hack/local-cluster.sh up`):
//   dotnet run -c Release --project bench/controller -- <kubeconfig> [--apps 1000] [--resources 20]
//     [--passes 3] [--concurrency 10] [--keep] [--hold SECONDS] [--before-passes SECONDS] [--webhook-commits 20]
//     [--self-heal-edits 20] [--stop-after-seconds N] [--watch] [--git-http]
// --stop-after-seconds N stops the controller N seconds into its first sync (apps still queued and mid-sync) instead
// of measuring passes; either way the report ends with how long StopAsync and DisposeAsync took. --watch keeps a
// client streaming every app's status (/api/v1/stream/applications, as the web UI does) connected through the stop.
//     [--sharded [--lease-seconds 15]]   (two hosts with dynamic sharding, one crashed: ShardedRun.cs)
// The controller runs in this process (as the tests run it); nothing else runs here while it is measured.
var kubeconfig = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && File.Exists(a))
    ?? Environment.GetEnvironmentVariable("KUBECONFIG")
    ?? throw new InvalidOperationException("usage: GitOps.Bench.Controller <kubeconfig> [--apps N] [--resources N]");
var appCount = Option("--apps", 1000);
var resources = Option("--resources", 20);
var passes = Option("--passes", 3);
var concurrency = Option("--concurrency", 10);
var run = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
var root = Directory.CreateTempSubdirectory("controller-bench-").FullName;
var fixture = new Fixture(root, $"bc{run}", appCount, resources);
var report = new List<string>();

long reconciled = 0;
using var listener = new System.Diagnostics.Metrics.MeterListener();
listener.InstrumentPublished = (instrument, l) =>
{
    if (instrument is { Meter.Name: "GitOps.Controller", Name: "gitops_reconcile_duration_seconds" })
    {
        l.EnableMeasurementEvents(instrument);
    }
};
listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref reconciled));
listener.Start();

// --git-http: the controller fetches over smart HTTP, as from a forge, instead of file:// (GitHttp.cs says why).
using var gitHttp = args.Contains("--git-http") ? GitHttp.Start(root) : null;
fixture.ServedAt = gitHttp?.BaseUrl;
var sw = Stopwatch.StartNew();
fixture.Write();
Console.WriteLine($"fixture: {appCount} apps × {resources} resources in one repo, written in {sw.Elapsed.TotalSeconds:0.0} s; fetched from {fixture.RepoUrl}");
foreach (var ns in fixture.Namespaces)
{
    await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
}

if (args.Contains("--sharded"))
{
    // Dynamic sharding: two controller hosts in this process instead of one (bench/controller/ShardedRun.cs).
    try
    {
        await new ShardedRun(fixture, kubeconfig, root, concurrency, Option("--lease-seconds", 15), Add, UntilAsync, FreePort).RunAsync();
    }
    finally
    {
        if (!args.Contains("--keep"))
        {
            foreach (var ns in fixture.Namespaces)
            {
                await client.CoreV1.DeleteNamespaceAsync(ns, propagationPolicy: "Background");
            }

            gitHttp?.Dispose();
            Directory.Delete(root, recursive: true);
        }
    }

    Console.WriteLine($"\n| step ({appCount} apps × {resources} resources, 2 hosts --shards 2, concurrency {concurrency} each) | time | notes |\n|---|---|---|");
    report.ForEach(Console.WriteLine);
    return 0;
}

var (grpcPort, httpPort) = (FreePort(), FreePort());
var app = ControllerHost.Build(
[
    "--applications", fixture.AppsFile,
    "--state-dir", Path.Combine(root, "state"),
    "--cache-dir", Path.Combine(root, "cache"),
    "--kubeconfig", kubeconfig,
    "--grpc-listen", $"127.0.0.1:{grpcPort}",
    "--http-listen", $"127.0.0.1:{httpPort}",
    // Long interval: after the first sync only the passes this benchmark queues run.
    "--interval", "01:00:00",
    "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture),
]);
var store = app.Services.GetRequiredService<IStateStore>();
var queue = app.Services.GetRequiredService<WorkQueue>();
var engine = app.Services.GetRequiredService<IClusterEngine>();
using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
using var watching = new CancellationTokenSource();
var syncedAtStop = 0;
try
{
    sw.Restart();
    await app.StartAsync();
    if (args.Contains("--watch"))
    {
        _ = WatchAsync(watching.Token);
    }

    if (Option("--stop-after-seconds", 0) is > 0 and var stopAfter)
    {
        await Task.Delay(TimeSpan.FromSeconds(stopAfter));
        Add($"stopping {stopAfter} s into the first sync", sw.Elapsed,
            $"{await CountAsync(s => s.Sync == SyncState.Synced)} of {appCount} apps Synced, {queue.Depth} queued");
        return 0; // the finally block stops the controller and reports it
    }

    var synced = await UntilAsync(async () => await CountAsync(s => s.Sync == SyncState.Synced) == appCount, TimeSpan.FromMinutes(60));
    var firstSync = sw.Elapsed;
    var firstSyncCpu = CpuTime();
    var healthy = await UntilAsync(async () => await CountAsync(s => s.Health == HealthState.Healthy) == appCount, TimeSpan.FromMinutes(10));
    Add($"first full sync ({appCount} apps Synced)", firstSync,
        $"process CPU {firstSyncCpu.TotalSeconds:0.0} s since start" + (synced ? "" : ", TIMED OUT"));
    Add($"… and all Healthy", sw.Elapsed, healthy ? "" : "TIMED OUT");
    // Drift events from the first sync re-queue apps: let the queue settle before measuring passes.
    var settleReconciles = -1.0;
    await UntilAsync(async () =>
    {
        var now = await ReconcilesAsync();
        var settled = queue.Depth == 0 && now == settleReconciles;
        settleReconciles = now;
        return settled;
    }, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(2));
    Rss("RSS after first sync");
    if (Option("--before-passes", 0) is > 0 and var wait)
    {
        // Time to attach a trace to the passes (dotnet-trace collect -p PID --profile gc-verbose).
        Console.WriteLine($"waiting {wait} s before the passes (pid {Environment.ProcessId})");
        await Task.Delay(TimeSpan.FromSeconds(wait));
    }

    for (var pass = 1; pass <= passes; pass++)
    {
        await FullPassAsync($"steady-state pass {pass}, no change ({appCount} reconciles)");
    }

    // The controller gives memory back once its queue idles after a burst, at most once a minute: measure it settled.
    await Task.Delay(MemoryRelease.MinSpacing + TimeSpan.FromSeconds(5));
    Rss("RSS after steady-state passes (settled)");
    if (Option("--webhook-commits", 0) is > 0 and var commits)
    {
        await WebhookLatencyAsync(commits);
    }

    if (Option("--self-heal-edits", 0) is > 0 and var edits)
    {
        await SelfHealLatencyAsync(edits);
    }

    if (Option("--webhook-commits", 0) > 0)
    {
        // The interval pass after commits to the monorepo: every app's HEAD moved, few apps' directories did. The
        // first such pass after a start also moves every untouched app to a snapshot of its own directory (its first
        // render took the whole tree); the next one shows what an ordinary commit costs the whole set.
        await FullPassAsync($"interval pass after the commits, first since the start ({appCount} reconciles)");
        await WebhookLatencyAsync(1, "one more");
        await FullPassAsync($"interval pass after one more commit touching 10 apps ({appCount} reconciles)");
    }

    if (Option("--hold", 0) is > 0 and var hold)
    {
        // Time to take a heap dump or a trace of the settled process (dotnet-gcdump collect -p PID).
        Console.WriteLine($"holding {hold} s (pid {Environment.ProcessId})");
        await Task.Delay(TimeSpan.FromSeconds(hold));
    }
    // Where the time goes, from the controller's own histograms (all passes, first sync included).
    foreach (var line in (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Split('\n')
                 .Where(l => l.Contains("_sum", StringComparison.Ordinal) || l.Contains("_count", StringComparison.Ordinal)))
    {
        Console.WriteLine($"  {line}");
    }
}
finally
{
    try
    {
        syncedAtStop = await CountAsync(s => s.Sync == SyncState.Synced);
        sw.Restart();
        await app.StopAsync();
        Add("StopAsync", sw.Elapsed, $"{queue.Depth} queued" + (args.Contains("--watch") ? ", a Watch stream open" : ""));
        await watching.CancelAsync();
        sw.Restart();
        await app.DisposeAsync();
        Add("DisposeAsync", sw.Elapsed, "");
        var running = await CountAsync(s => s.Operation?.Phase == OperationPhase.Running);
        var syncedDuringStop = await CountAsync(s => s.Sync == SyncState.Synced) - syncedAtStop;
        Add("after the stop", TimeSpan.Zero, $"{syncedDuringStop} apps synced during the stop; "
            + $"{running} operations left Running (recorded on the next start, as after a kill)");
    }
    catch (Exception e)
    {
        // Still clean up: a failed shutdown must not leave namespaces behind on a shared control plane.
        Console.WriteLine($"controller shutdown failed: {e}");
        Add("shutdown FAILED", sw.Elapsed, $"{e.GetType().Name}: {e.Message}");
    }

    if (!args.Contains("--keep"))
    {
        foreach (var ns in fixture.Namespaces)
        {
            await client.CoreV1.DeleteNamespaceAsync(ns, propagationPolicy: "Background");
        }

        gitHttp?.Dispose();
        Directory.Delete(root, recursive: true);
    }

    Console.WriteLine();
    Console.WriteLine($"| step ({appCount} apps × {resources} resources, concurrency {concurrency}) | time | notes |");
    Console.WriteLine("|---|---|---|");
    report.ForEach(Console.WriteLine);
}

return 0;

// Queues every app at once and waits for as many reconciles: wall time, process CPU, API calls, allocations, GCs.
async Task FullPassAsync(string step)
{
    var calls = engine.ApiCalls;
    var reconciles = await ReconcilesAsync();
    var cpu = CpuTime();
    var allocated = GC.GetTotalAllocatedBytes();
    var collections = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    var watch = Stopwatch.StartNew();
    foreach (var name in fixture.AppNames)
    {
        queue.Add(name, Trigger.Interval);
    }

    var done = await UntilAsync(async () => queue.Depth == 0 && await ReconcilesAsync() >= reconciles + appCount,
        TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(20));
    var elapsed = watch.Elapsed;
    var cpuUsed = CpuTime() - cpu;
    var after = engine.ApiCalls;
    var allocatedMb = (GC.GetTotalAllocatedBytes() - allocated) / 1048576.0;
    var gcs = (GC.CollectionCount(0) - collections.Item1, GC.CollectionCount(1) - collections.Item2, GC.CollectionCount(2) - collections.Item3);
    var outOfSync = await CountAsync(s => s.Sync != SyncState.Synced);
    Add(step, elapsed,
        $"CPU {cpuUsed.TotalSeconds:0.00} s; writes {after.Writes - calls.Writes}, dry-runs {after.DryRuns - calls.DryRuns}, reads {after.Reads - calls.Reads}; "
        + $"allocated {allocatedMb:0} MB, GCs gen0/1/2 {gcs.Item1}/{gcs.Item2}/{gcs.Item3}"
        + (outOfSync > 0 ? $", {outOfSync} not Synced" : "") + (done ? "" : ", TIMED OUT"));
}

// Push-to-applied latency with every other app idle: each commit changes 10 apps (spread over the set) and is
// announced the way the push webhook's handler announces it (IRefreshQueue, after parsing and authenticating the
// payload, whose HTTP leg is left out). A commit counts as applied when all 10 apps have synced it.
async Task WebhookLatencyAsync(int commits, string label = "")
{
    var refresh = app.Services.GetRequiredService<GitOps.Source.Webhooks.IRefreshQueue>();
    var latencies = new List<double>();
    var (calls, cpu, gc) = (engine.ApiCalls, CpuTime(), GcSpent.Now());
    for (var round = 1; round <= commits; round++)
    {
        var apps = Enumerable.Range(0, 10).Select(k => ((round * 7919) + (k * (appCount / 10))) % appCount).ToList();
        var (sha, paths) = fixture.CommitChange(apps, label.Length > 0 ? 1000 + round : round);
        var pushed = Stopwatch.StartNew();
        await refresh.EnqueueAsync(fixture.RepoUrl, "main", paths, CancellationToken.None);
        var applied = await UntilAsync(async () =>
        {
            foreach (var i in apps)
            {
                var s = await store.GetAsync(fixture.AppNames[i], CancellationToken.None);
                if (s.Sync != SyncState.Synced || s.History.Count == 0 || s.History[^1].Revision.Sha != sha
                    || s.Operation?.Phase != OperationPhase.Succeeded)
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(5));
        latencies.Add(applied ? pushed.Elapsed.TotalSeconds : double.PositiveInfinity);
    }

    AddLatencies($"webhook → applied, {(label.Length > 0 ? label + " " : "")}{commits} commit(s) × 10 apps (of {appCount})", latencies, cpu, calls, gc);
}

// Live edit to restored with every other app idle: a hand edit of one app's ConfigMap (as `kubectl edit` makes it)
// is timed until a read of the object shows git's value again. The edit's watch event is the only trigger.
async Task SelfHealLatencyAsync(int edits)
{
    var latencies = new List<double>();
    var (calls, cpu, gc) = (engine.ApiCalls, CpuTime(), GcSpent.Now());
    for (var round = 1; round <= edits; round++)
    {
        var i = ((round * 7907) + 13) % appCount;
        var (name, ns) = ($"{fixture.AppNames[i]}-cm-00", fixture.Namespaces[i % fixture.Namespaces.Count]);
        var patch = new V1Patch("{\"data\":{\"index\":\"drift-" + round.ToString(CultureInfo.InvariantCulture) + "\"}}", V1Patch.PatchType.MergePatch);
        var edited = Stopwatch.StartNew();
        await client.CoreV1.PatchNamespacedConfigMapAsync(patch, name, ns);
        var healed = await UntilAsync(async () => (await client.CoreV1.ReadNamespacedConfigMapAsync(name, ns)).Data["index"] == "0",
            TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(10));
        latencies.Add(healed ? edited.Elapsed.TotalSeconds : double.PositiveInfinity);
    }

    AddLatencies($"live edit → self-healed, {edits} edits (of {appCount} apps)", latencies, cpu, calls, gc);
}

// One report line for a latency series: median as the time, p50/p95/max, process CPU, GC pauses and API calls since
// the start (the pauses: a blocking collection's cost grows with the live heap, so with the app count).
void AddLatencies(string step, List<double> latencies, TimeSpan cpu, ApiCallCounts calls, GcSpent gc)
{
    latencies.Sort();
    var after = engine.ApiCalls;
    Add(step, TimeSpan.FromSeconds(latencies[latencies.Count / 2]),
        $"p50 {latencies[latencies.Count / 2]:0.000} s, p95 {latencies[(int)Math.Ceiling(latencies.Count * 0.95) - 1]:0.000} s, " +
        $"max {latencies[^1]:0.000} s; CPU {(CpuTime() - cpu).TotalSeconds:0.00} s; {GcSpent.Now().Since(gc)}; writes {after.Writes - calls.Writes}, " +
        $"dry-runs {after.DryRuns - calls.DryRuns}");
}

// A client of the status stream that reads everything and never hangs up (the web UI's list).
async Task WatchAsync(CancellationToken ct)
{
    try
    {
        using var response = await http.GetAsync(new Uri("/api/v1/stream/applications", UriKind.Relative),
            HttpCompletionOption.ResponseHeadersRead, ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[64 * 1024];
        while (await body.ReadAsync(buffer, ct) > 0)
        {
        }
    }
    catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
    {
    }
}

static TimeSpan CpuTime()
{
    using var self = Process.GetCurrentProcess();
    return self.TotalProcessorTime;
}

void Add(string step, TimeSpan elapsed, string notes)
{
    var line = $"| {step} | {elapsed.TotalSeconds:0.00} s | {notes} |";
    Console.WriteLine(line);
    report.Add(line);
}

void Rss(string step)
{
    long before;
    using (var uncollected = Process.GetCurrentProcess())
    {
        before = uncollected.WorkingSet64 / 1048576;
    }

    GC.Collect();
    using var self = Process.GetCurrentProcess();
    var info = GC.GetGCMemoryInfo();
    var line = $"| {step} | | RSS {self.WorkingSet64 / 1048576} MB ({before} MB before a full GC; peak {self.PeakWorkingSet64 / 1048576} MB; {RssSplit()}), "
        + $"GC heap {GC.GetTotalMemory(false) / 1048576} MB, GC committed {info.TotalCommittedBytes / 1048576} MB, threads {self.Threads.Count} |";
    Console.WriteLine(line);
    report.Add(line);
}

// Anonymous memory (heaps, stacks, native allocations) vs file-backed pages (mapped assemblies and libraries).
static string RssSplit()
{
    if (!File.Exists("/proc/self/status"))
    {
        return "split n/a";
    }

    var fields = File.ReadAllLines("/proc/self/status").Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
        .ToDictionary(p => p[0], p => p[1].Trim());
    return $"anon {fields.GetValueOrDefault("RssAnon", "?")}, file {fields.GetValueOrDefault("RssFile", "?")}";
}

async Task<int> CountAsync(Func<AppStatus, bool> predicate)
{
    var n = 0;
    foreach (var name in fixture.AppNames)
    {
        n += predicate(await store.GetAsync(name, CancellationToken.None)) ? 1 : 0;
    }

    return n;
}

// Reconciles finished, counted from the controller's reconcile histogram in-process: scraping /metrics every few
// milliseconds would cost the controller more than the passes being measured (a scrape counts apps by status).
Task<double> ReconcilesAsync() => Task.FromResult((double)Interlocked.Read(ref reconciled));

static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? every = null)
{
    var deadline = DateTime.UtcNow + timeout;
    while (!await condition())
    {
        if (DateTime.UtcNow > deadline)
        {
            return false;
        }

        await Task.Delay(every ?? TimeSpan.FromMilliseconds(200));
    }

    return true;
}

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

// What the GC cost since a mark: total pause time and the number of full (gen 2) collections.
internal readonly record struct GcSpent(TimeSpan Paused, int FullCollections)
{
    public static GcSpent Now() => new(GC.GetTotalPauseDuration(), GC.CollectionCount(2));

    public string Since(GcSpent mark) =>
        $"GC paused {(Paused - mark.Paused).TotalSeconds:0.00} s in {FullCollections - mark.FullCollections} full collections";
}
