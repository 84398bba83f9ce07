using System.Diagnostics;
using System.Globalization;
using System.Net;
using GitOps.Bench.Engine;
using GitOps.Bench.Engine.Ceiling;
using GitOps.Engine;
using k8s;
using Microsoft.Extensions.Logging;

// Engine benchmark on the local control plane (hack/local-cluster.sh up):
//   dotnet run -c Release --project bench/engine -- <kubeconfig> [--objects 1000] [--skip-kubectl]
//     [--cold-only]    start + cold apply only (to time the whole process, e.g. with and without validation)
//     [--no-validate]  DryRunNewObjects=false: new objects are looked up (GET) instead of dry-run before applying
//   ... <kubeconfig> --ceiling [--objects 1000] [--rounds 3] [--warm-up-rounds 1] [--clients 1,4,8,16,32,64] [--protocols 2,1.1]
//     [--engine-concurrency 16,64] [--pids ~/.local/state/gitops-local-cluster/pids] [--existing-namespaces]
//     [--validated-clients 64] [--kind-by-kind-clients 64] [--interleaved-clients 64] [--watching-clients 64]
//                    the API server's cold-apply ceiling (raw SSA clients, K in flight) against the engine's cold
//                    apply with and without validation, in rounds on fresh namespaces; --pids adds the control
//                    plane's CPU seconds per run; --existing-namespaces creates the namespaces before each run
//                    (untimed), so that new objects are dry-run for real; --validated-clients K adds raw clients
//                    that dry-run every object that can be before writing (the ceiling of validated cold apply);
//                    --kind-by-kind-clients K adds raw clients that finish each kind before the next (as Helm and
//                    Argo CD order an apply); --interleaved-clients K adds raw clients without barriers whose writes take
//                    each kind in turn; --watching-clients K adds kind-by-kind raw clients that hold the watches the
//                    engine's live cache holds (label-selected) while they write
var kubeconfig = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && File.Exists(a))
    ?? Environment.GetEnvironmentVariable("KUBECONFIG")
    ?? throw new InvalidOperationException("usage: GitOps.Bench.Engine <kubeconfig> [--objects N] [--skip-kubectl]");
var total = Option("--objects", 1000);
if (args.Contains("--ceiling"))
{
    var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
    var pids = OptionText("--pids");
    var contenders = new List<Contender>();
    foreach (var protocol in List("--protocols", "2,1.1"))
    {
        contenders.AddRange(Numbers("--clients", "1,4,8,16,32,64").Select(k =>
            new Contender($"raw SSA, HTTP/{protocol}, K={k}", Version.Parse(protocol.Contains('.') ? protocol : protocol + ".0"), k, null)));
    }

    // The server's ceiling for the validated work: every object that can be dry-run is, then everything is written.
    contenders.AddRange(Numbers("--validated-clients", "").Select(k =>
        new Contender($"raw SSA, HTTP/2, K={k}, dry runs first", HttpVersion.Version20, k, null, DryRunFirst: true)));

    // The ceiling of an apply in kind order: each kind's writes answered before the next kind's start.
    contenders.AddRange(Numbers("--kind-by-kind-clients", "").Select(k =>
        new Contender($"raw SSA, HTTP/2, K={k}, kind by kind", HttpVersion.Version20, k, null, KindByKind: true)));

    // The ceiling of an apply without barriers whose writes take each kind in turn (no kind waits behind another's).
    contenders.AddRange(Numbers("--interleaved-clients", "").Select(k =>
        new Contender($"raw SSA, HTTP/2, K={k}, kinds interleaved", HttpVersion.Version20, k, null, Interleaved: true)));

    // The ceiling of a client that keeps a live cache: the kind-by-kind raw client holding the engine's watches while it
    // writes (the engine's shape of work, without the engine).
    contenders.AddRange(Numbers("--watching-clients", "").Select(k =>
        new Contender($"raw SSA, HTTP/2, K={k}, kind by kind, watching", HttpVersion.Version20, k, null, KindByKind: true, Watching: true)));

    foreach (var concurrency in Numbers("--engine-concurrency", "64"))
    {
        contenders.Add(new Contender($"engine, validation on, concurrency {concurrency}", null, concurrency, true));
        contenders.Add(new Contender($"engine, validation off, concurrency {concurrency}", null, concurrency, false));
    }

    var bench = new CeilingBench(config, total, args.Contains("--existing-namespaces"), pids, new ConsoleLogger<ClusterEngine>(LogLevel.Warning));
    return await bench.RunAsync(contenders, Option("--rounds", 3), Option("--warm-up-rounds", 1), CancellationToken.None);
}

var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
var logger = new ConsoleLogger<ClusterEngine>(args.Contains("--debug") ? LogLevel.Information : LogLevel.Warning);
var run = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
var report = new List<string>();

// --- engine ---
var engineSet = Workload.Build($"be{run}", total);
var app = new AppTarget($"bench-{run}", $"be{run}-0");
var sync = new SyncOptions
{
    MaxConcurrency = Option("--concurrency", 32),
    WaitTimeout = TimeSpan.FromMinutes(2),
    DryRunNewObjects = !args.Contains("--no-validate"),
};
var coldOnly = args.Contains("--cold-only");
await using (var engine = new ClusterEngine(client, TimeProvider.System, logger))
{
    await Measure("engine: start (discovery + watch cache)", engine, () =>
        engine.CompareAsync(app, DesiredSet.FromSuccessfulRender([], "warm"), new ComparisonOptions(), CancellationToken.None));
    await Measure("engine: cold apply", engine, () => engine.SyncAsync(app, Set(engineSet.Objects), sync, CancellationToken.None));
    if (coldOnly)
    {
        await Cleanup(engineSet.Namespaces);
        return 0;
    }

    await Measure("engine: re-sync, no change", engine, () => engine.SyncAsync(app, Set(engineSet.Objects), sync, CancellationToken.None));
    await Measure("engine: re-sync, 1% changed", engine, () => engine.SyncAsync(app, Set(engineSet.Changed(1)), sync, CancellationToken.None));
    await Measure("engine: compare, no change", engine, () => engine.CompareAsync(app, Set(engineSet.Changed(1)), new ComparisonOptions(), CancellationToken.None));
}

await using (var fresh = new ClusterEngine(client, TimeProvider.System, logger))
{
    await Measure("engine (new process): start + compare, no change", fresh, () =>
        fresh.CompareAsync(app, Set(engineSet.Changed(1)), new ComparisonOptions(), CancellationToken.None));
    await Measure("engine (new process): re-sync, no change", fresh, () => fresh.SyncAsync(app, Set(engineSet.Changed(1)), sync, CancellationToken.None));
}

// --- kubectl ---
if (!args.Contains("--skip-kubectl"))
{
    var kubeSet = Workload.Build($"bk{run}", total);
    var dir = Directory.CreateTempSubdirectory("engine-bench-");
    var file = Path.Combine(dir.FullName, "all.json");
    await File.WriteAllTextAsync(file, kubeSet.AsList(kubeSet.Objects));
    await Kubectl("kubectl apply --server-side: cold", "apply", "--server-side", "--field-manager=bench", "-f", file);
    await Kubectl("kubectl apply --server-side: no change", "apply", "--server-side", "--field-manager=bench", "-f", file);
    await Kubectl("kubectl diff --server-side: no change", "diff", "--server-side", "--field-manager=bench", "-f", file);
    await File.WriteAllTextAsync(file, kubeSet.AsList(kubeSet.Changed(1)));
    await Kubectl("kubectl diff --server-side: 1% changed", "diff", "--server-side", "--field-manager=bench", "-f", file);
    await Kubectl("kubectl apply --server-side: 1% changed", "apply", "--server-side", "--field-manager=bench", "-f", file);
    dir.Delete(recursive: true);
    await Cleanup(kubeSet.Namespaces);
}

await Cleanup(engineSet.Namespaces);
Console.WriteLine();
Console.WriteLine($"| step ({total} objects) | time | API calls |");
Console.WriteLine("|---|---|---|");
report.ForEach(Console.WriteLine);
return 0;

DesiredSet Set(IReadOnlyList<System.Text.Json.Nodes.JsonObject> objects) => DesiredSet.FromSuccessfulRender(objects, run);

async Task Measure<T>(string name, IClusterEngine engine, Func<Task<T>> action)
{
    var before = engine.ApiCalls;
    var sw = Stopwatch.StartNew();
    var result = await action();
    sw.Stop();
    var after = engine.ApiCalls;
    var outcome = result switch
    {
        SyncResult s => $"{s.Outcome}, {s.Resources.Count(r => r.Action is ResourceAction.Created or ResourceAction.Configured)} applied",
        ComparisonResult c => $"{c.Resources.Count(r => r.State != SyncState.Synced)} not in sync",
        _ => "",
    };
    if (result is SyncResult { Outcome: SyncOutcome.Failed } failed)
    {
        Console.Error.WriteLine(string.Join('\n', failed.Log.Select(l => $"{l.Phase} {l.Key} {l.Message}")));
    }

    var calls = $"{after.Writes - before.Writes} writes, {after.DryRuns - before.DryRuns} dry runs, {after.Reads - before.Reads} reads";
    report.Add($"| {name} ({outcome}) | {sw.Elapsed.TotalSeconds:0.000} s | {calls} |");
    Console.WriteLine(report[^1]);
}

async Task Kubectl(string name, params string[] kubectlArgs)
{
    var psi = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
    psi.ArgumentList.Add("--kubeconfig");
    psi.ArgumentList.Add(kubeconfig);
    foreach (var a in kubectlArgs)
    {
        psi.ArgumentList.Add(a);
    }

    var sw = Stopwatch.StartNew();
    using var process = Process.Start(psi)!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    sw.Stop();
    var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
    var err = await stderr;
    if (process.ExitCode > 1)
    {
        Console.Error.WriteLine(err);
    }

    report.Add($"| {name} (exit {process.ExitCode}, {lines} output lines) | {sw.Elapsed.TotalSeconds:0.000} s | |");
    Console.WriteLine(report[^1]);
}

async Task Cleanup(IEnumerable<string> namespaces)
{
    foreach (var ns in namespaces)
    {
        try
        {
            await client.CoreV1.DeleteNamespaceAsync(ns, propagationPolicy: "Background");
        }
        catch (k8s.Autorest.HttpOperationException)
        {
            // already gone
        }
    }
}

string? OptionText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

string[] List(string name, string fallback) =>
    (OptionText(name) ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

IEnumerable<int> Numbers(string name, string fallback) => List(name, fallback).Select(n => int.Parse(n, CultureInfo.InvariantCulture));

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
