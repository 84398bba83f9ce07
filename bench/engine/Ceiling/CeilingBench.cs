using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Engine;
using k8s;
using Microsoft.Extensions.Logging;

namespace GitOps.Bench.Engine.Ceiling;

/// <summary>One configuration measured each round: a raw client (protocol, K in flight; with <see cref="DryRunFirst"/>
/// it dry-runs what can be dry-run before writing, as the engine's validation does; with <see cref="KindByKind"/> it
/// waits for each kind's writes before the next kind's, as Helm's install and Argo CD's sync do; with <see cref="Interleaved"/>
/// it has no barriers and its writes take each kind in turn, so that no kind waits behind another's; with <see cref="Watching"/>
/// it holds the watches a live cache needs while it writes, as the engine does) or the engine.</summary>
internal sealed record Contender(string Name, Version? Protocol, int Parallelism, bool? Validate, bool DryRunFirst = false,
    bool KindByKind = false, bool Interleaved = false, bool Watching = false)
{
    public bool IsEngine => Validate is not null;
}

/// <summary>
/// The API server's cold-apply ceiling for the engine benchmark's objects, against the engine's cold apply. Each
/// round runs every contender once on fresh namespaces (stamped as the engine stamps them, applied in the engine's
/// kind order), deleting them and waiting until they are gone before the next run, so no run pays for another's
/// garbage. The ceiling is the best raw client: namespaces first, then everything else with K requests in flight
/// and no barrier between kinds.
/// </summary>
/// <param name="existingNamespaces">Create the namespaces before each run, untimed, and apply the rest into them:
/// new objects are then dry-run for real (in namespaces a sync creates, the server cannot dry-run them).</param>
internal sealed class CeilingBench(KubernetesClientConfiguration config, int total, bool existingNamespaces, string? pidDirectory,
    ILogger<ClusterEngine> logger)
{
    private static readonly string[] KindOrder = ["Namespace", "ConfigMap", "Service", "Deployment"];

    /// <param name="warmUps">Uncounted rounds on a tenth of the objects first. One leaves the engine's code to be
    /// recompiled (tiered compilation: instrumented, then optimised) on the two cores during the counted rounds, which a
    /// controller that has been running has long done; three settle it.</param>
    public async Task<int> RunAsync(IReadOnlyList<Contender> contenders, int rounds, int warmUps, CancellationToken ct)
    {
        using var admin = new RawApplier(config, HttpVersion.Version20, 1);
        var probe = new ServerProbe(admin, pidDirectory);
        var times = contenders.ToDictionary(c => c, _ => new List<double>());
        var loads = contenders.ToDictionary(c => c, _ => new List<double>());
        var run = 0;

        // Warm-up rounds on a tenth of the objects (JIT, connection pools, the server's caches), not counted.
        for (var round = 1 - Math.Max(warmUps, 1); round <= rounds; round++)
        {
            var size = round <= 0 ? Math.Max(total / 10, 20) : total;
            // Each round starts one contender later and every other round runs backwards, so that none always runs first
            // or right after the same one.
            var shift = ((round % contenders.Count) + contenders.Count) % contenders.Count;
            var order = contenders.Skip(shift).Concat(contenders.Take(shift)).ToList();
            foreach (var contender in Math.Abs(round % 2) == 1 ? Enumerable.Reverse(order) : order)
            {
                var prefix = $"ce{DateTime.UtcNow:HHmmss}x{run++}";
                var workload = Workload.Build(prefix, size);
                var objects = workload.Objects;
                if (existingNamespaces)
                {
                    var namespaces = objects.Where(IsNamespace).Select(o => Request(o, "ceiling-setup")).ToList();
                    await admin.ApplyAsync(namespaces, namespaces.Count, ct).ConfigureAwait(false);
                    objects = objects.Where(o => !IsNamespace(o)).ToList();
                }

                var (seconds, outcome, usage) = contender.IsEngine
                    ? await EngineAsync(objects, workload.Namespaces[0], prefix, contender, probe, ct).ConfigureAwait(false)
                    : await RawAsync(objects, prefix, contender, probe, ct).ConfigureAwait(false);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(round <= 0 ? "warm-up" : $"round {round}")} {contender.Name}: {objects.Count} objects in {seconds:0.000} s ({outcome}); {usage.Describe()}"));
                if (round > 0)
                {
                    times[contender].Add(seconds);
                    loads[contender].Add(usage.Load1);
                }

                await DeleteAsync(admin, workload.Namespaces, ct).ConfigureAwait(false);
            }
        }

        Report(contenders, times, loads);
        return 0;
    }

    /// <remarks>Requests are grouped by resource (the path's plural), which follows the kind order.</remarks>
    private async Task<(double Seconds, string Outcome, ServerUsage Usage)> RawAsync(IReadOnlyList<JsonObject> objects, string app,
        Contender contender, ServerProbe probe, CancellationToken ct)
    {
        var connections = contender.Protocol == HttpVersion.Version20 ? 1 : contender.Parallelism;
        using var client = new RawApplier(config, contender.Protocol!, connections);
        await client.WarmAsync(connections, ct).ConfigureAwait(false);
        var ordered = InApplyOrder(objects);
        var namespaces = ordered.Where(IsNamespace).Select(o => Request(o, app)).ToList();
        var rest = ordered.Where(o => !IsNamespace(o)).Select(o => Request(o, app)).ToList();
        // Objects in namespaces this run creates cannot be dry-run (NotFound): the engine skips them too.
        var dryRuns = (namespaces.Count > 0 ? namespaces : namespaces.Concat(rest))
            .Select(r => r with { PathAndQuery = r.PathAndQuery + "&dryRun=All" }).ToList();
        using var stopWatching = new CancellationTokenSource();
        var watched = contender.Watching
            ? await client.WatchAsync(WatchedCollections, Marks.AppLabel, stopWatching.Token).ConfigureAwait(false)
            : null;
        var before = await probe.TakeAsync(ct).ConfigureAwait(false);
        var sw = Stopwatch.StartNew();
        var (dryFailures, dryFirst) = contender.DryRunFirst
            ? await client.ApplyAsync(dryRuns, contender.Parallelism, ct).ConfigureAwait(false)
            : (0, null);
        var (nsFailures, nsFirst) = await client.ApplyAsync(namespaces, contender.Parallelism, ct).ConfigureAwait(false);
        var (failures, first) = (0, (string?)null);
        var phases = new List<string> { string.Create(CultureInfo.InvariantCulture, $"namespaces {sw.Elapsed.TotalMilliseconds:0}") };
        foreach (var group in contender.KindByKind ? rest.GroupBy(ResourceOf) : rest.GroupBy(_ => "rest"))
        {
            var start = sw.Elapsed;
            var (groupFailures, groupFirst) = await client.ApplyAsync(contender.Interleaved ? Interleave(group) : group.ToList(),
                contender.Parallelism, ct).ConfigureAwait(false);
            (failures, first) = (failures + groupFailures, first ?? groupFirst);
            phases.Add(string.Create(CultureInfo.InvariantCulture, $"{group.Key} {(sw.Elapsed - start).TotalMilliseconds:0}"));
        }

        sw.Stop();
        var usage = ServerProbe.Between(before, await probe.TakeAsync(ct).ConfigureAwait(false));
        if (watched is not null)
        {
            await stopWatching.CancelAsync().ConfigureAwait(false);
            phases.Add($"watch events {await watched().ConfigureAwait(false)}");
        }

        var failed = dryFailures + nsFailures + failures;
        return (sw.Elapsed.TotalSeconds, failed == 0
            ? $"{objects.Count} applied{(contender.DryRunFirst ? $" after {dryRuns.Count} dry runs" : "")}; ms: {string.Join(", ", phases)}"
            : $"{failed} FAILED: {dryFirst ?? nsFirst ?? first}", usage);
    }

    /// <summary>What the engine's live cache watches that this workload's writes reach: its four kinds, and the
    /// ReplicaSets and Pods its Deployments bring (filtered out by the label selector, as for the engine).</summary>
    private static readonly string[] WatchedCollections =
    [
        "/api/v1/namespaces", "/api/v1/configmaps", "/api/v1/services", "/apis/apps/v1/deployments",
        "/apis/apps/v1/replicasets", "/api/v1/pods",
    ];

    private static string ResourceOf(RawRequest r) => r.PathAndQuery.Split('?')[0].Split('/')[^2];

    /// <summary>One request of each resource in turn: every kind has writes in flight while one kind's are slow.</summary>
    private static List<RawRequest> Interleave(IEnumerable<RawRequest> requests)
    {
        var byResource = requests.GroupBy(ResourceOf).Select(g => g.ToList()).ToList();
        return Enumerable.Range(0, byResource.Max(g => g.Count))
            .SelectMany(i => byResource.Where(g => i < g.Count).Select(g => g[i])).ToList();
    }

    /// <summary>Where a sync's time went, from its operation log: from its start to its first write, each kind's span
    /// of writes (first to last), and from the last write to its end.</summary>
    private static string Phases(IReadOnlyList<OperationLogEntry> log)
    {
        var writes = log.Where(e => e.Phase == "sync" && e.Key is not null).ToList();
        if (log.Count == 0 || writes.Count == 0)
        {
            return "no writes";
        }

        double Ms(DateTimeOffset from, DateTimeOffset to) => (to - from).TotalMilliseconds;
        var kinds = writes.GroupBy(e => e.Key!.Kind)
            .Select(g => $"{g.Key} {Ms(g.Min(e => e.At), g.Max(e => e.At)):0}");
        return $"ms: to first write {Ms(log[0].At, writes[0].At):0}, {string.Join(", ", kinds)}, after last {Ms(writes[^1].At, log[^1].At):0}";
    }

    private async Task<(double Seconds, string Outcome, ServerUsage Usage)> EngineAsync(IReadOnlyList<JsonObject> objects, string destination,
        string app, Contender contender, ServerProbe probe, CancellationToken ct)
    {
        using var client = new Kubernetes(config);
        await using var engine = new ClusterEngine(client, TimeProvider.System, logger);
        var target = new AppTarget(app, destination);
        // Start-up (discovery, list + watch of every kind) is not part of a cold apply.
        await engine.CompareAsync(target, DesiredSet.FromSuccessfulRender([], "start"), new ComparisonOptions(), ct).ConfigureAwait(false);
        var options = new SyncOptions
        {
            MaxConcurrency = contender.Parallelism,
            WaitTimeout = TimeSpan.FromMinutes(2),
            DryRunNewObjects = contender.Validate!.Value,
        };
        var calls = engine.ApiCalls;
        var before = await probe.TakeAsync(ct).ConfigureAwait(false);
        var sw = Stopwatch.StartNew();
        var result = await engine.SyncAsync(target, DesiredSet.FromSuccessfulRender(objects, "cold"), options, ct).ConfigureAwait(false);
        sw.Stop();
        var usage = ServerProbe.Between(before, await probe.TakeAsync(ct).ConfigureAwait(false));
        var after = engine.ApiCalls;
        var applied = result.Resources.Count(r => r.Action is ResourceAction.Created or ResourceAction.Configured);
        return (sw.Elapsed.TotalSeconds, $"{result.Outcome}: {applied} applied; {after.Writes - calls.Writes} writes, " +
            $"{after.DryRuns - calls.DryRuns} dry runs, {after.Reads - calls.Reads} reads" +
            (result.Outcome == SyncOutcome.Succeeded ? "" : $"; {result.Message}") + "; " + Phases(result.Log), usage);
    }

    /// <summary>The object as the engine sends it: its marks stamped, the engine's field manager, forced.</summary>
    private static RawRequest Request(JsonObject source, string app)
    {
        var obj = source.DeepClone().AsObject();
        var kind = obj["kind"]!.GetValue<string>();
        var meta = obj["metadata"]!.AsObject();
        var name = meta["name"]!.GetValue<string>();
        var ns = meta["namespace"]?.GetValue<string>();
        var group = kind == "Deployment" ? "apps" : "";
        meta["labels"] = new JsonObject { [Marks.AppLabel] = app };
        meta["annotations"] = new JsonObject { [Marks.TrackingId] = $"{app}:{group}/{kind}:{ns ?? ""}/{name}" };
        var path = kind switch
        {
            "Namespace" => $"/api/v1/namespaces/{name}",
            "Deployment" => $"/apis/apps/v1/namespaces/{ns}/deployments/{name}",
            _ => $"/api/v1/namespaces/{ns}/{kind.ToLowerInvariant()}s/{name}",
        };
        return new RawRequest($"{path}?fieldManager={EngineAssembly.FieldManager}&force=true", Encoding.UTF8.GetBytes(obj.ToJsonString()));
    }

    private static bool IsNamespace(JsonObject o) => o["kind"]!.GetValue<string>() == "Namespace";

    /// <summary>The workload's objects in the engine's apply order: kind, namespace, name.</summary>
    private static IReadOnlyList<JsonObject> InApplyOrder(IReadOnlyList<JsonObject> objects) =>
        objects.OrderBy(o => Array.IndexOf(KindOrder, o["kind"]!.GetValue<string>()))
            .ThenBy(o => o["metadata"]!["namespace"]?.GetValue<string>() ?? "", StringComparer.Ordinal)
            .ThenBy(o => o["metadata"]!["name"]!.GetValue<string>(), StringComparer.Ordinal)
            .ToList();

    /// <summary>Deletes the namespaces and waits until they are gone (their objects with them).</summary>
    private static async Task DeleteAsync(RawApplier api, IReadOnlyList<string> namespaces, CancellationToken ct)
    {
        foreach (var ns in namespaces)
        {
            await api.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}", null, null, ct).ConfigureAwait(false);
        }

        var deadline = DateTime.UtcNow.AddMinutes(10);
        var delay = TimeSpan.FromMilliseconds(250);
        foreach (var ns in namespaces)
        {
            while ((await api.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}", null, null, ct).ConfigureAwait(false)).Status
                   != HttpStatusCode.NotFound)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"namespace {ns} was not deleted within 10 minutes");
                }

                await Task.Delay(delay, ct).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 2000));
            }
        }
    }

    /// <summary>Medians per contender, and each one's fraction of the ceiling (the best write-only raw client's median), also
    /// taken round by round, which the machine's drifting load moves less: against that round's best raw time (the
    /// fastest of several raw runs, so a lucky draw among them counts against the contender), and paired with the
    /// ceiling's own client in the same round (one run against one run). With raw clients that dry-run first, the
    /// validated ceiling is reported the same way.</summary>
    private void Report(IReadOnlyList<Contender> contenders, Dictionary<Contender, List<double>> times, Dictionary<Contender, List<double>> loads)
    {
        var raw = contenders.Where(c => c is { IsEngine: false, DryRunFirst: false }).ToList();
        var validated = contenders.Where(c => c.DryRunFirst).ToList();
        var medians = contenders.ToDictionary(c => c, c => Median(times[c]));
        var applied = existingNamespaces ? total - Workload.NamespaceCount : total;
        Console.WriteLine();
        Console.WriteLine($"| cold apply of {applied} objects{(existingNamespaces ? " (namespaces exist)" : "")} | runs (s) | median | objects/s " +
            "| load (1 min) | fraction of the ceiling: of medians; per round against the round's best raw, paired with the ceiling's client (medians) " +
            "| of the validated ceiling |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var c in contenders)
        {
            var runs = string.Join(", ", times[c].Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {c.Name} | {runs} | {medians[c]:0.00} s | {applied / medians[c]:0} | {loads[c].Min():0.0}–{loads[c].Max():0.0} " +
                $"| {Fraction(raw, c, medians)} | {(validated.Count > 0 ? Fraction(validated, c, medians) : "")} |"));
        }

        string Fraction(List<Contender> best, Contender c, Dictionary<Contender, double> medians)
        {
            if (best.Count == 0)
            {
                return ""; // engine-only runs (--clients ,): nothing to compare with, e.g. while profiling
            }

            var ceiling = best.MinBy(b => medians[b])!;
            var ofMedians = medians[ceiling] / medians[c];
            var perRound = Median(times[c].Select((t, round) => best.Min(b => times[b][round]) / t).ToList());
            var paired = Median(times[c].Select((t, round) => times[ceiling][round] / t).ToList());
            return string.Create(CultureInfo.InvariantCulture, $"{ofMedians:0%}; {perRound:0%}, {paired:0%}");
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
