using System.Diagnostics;
using System.Globalization;

namespace GitOps.Bench.Engine.Ceiling;

/// <summary>What the server side did during one run: CPU seconds of the control plane's processes (from their
/// PID files, when given), the API server's own request and etcd timings (from its /metrics), the load average.</summary>
internal sealed record ServerUsage(double Load1, IReadOnlyDictionary<string, double> ProcessCpu, double BenchCpu,
    IReadOnlyDictionary<string, (double Count, double Seconds)> Requests, IReadOnlyDictionary<string, (double Count, double Seconds)> Etcd)
{
    public string Describe()
    {
        var cpu = string.Join(", ", ProcessCpu.Select(p => $"{p.Key} {p.Value:0.00}").Append($"bench {BenchCpu:0.00}"));
        var requests = string.Join(", ", Requests.Where(r => r.Value.Count > 0).OrderByDescending(r => r.Value.Count)
            .Select(r => $"{r.Key} {r.Value.Count:0}×{1000 * r.Value.Seconds / r.Value.Count:0.0} ms"));
        var etcd = string.Join(", ", Etcd.Where(r => r.Value.Count > 0).OrderByDescending(r => r.Value.Count)
            .Select(r => $"{r.Key} {r.Value.Count:0}×{1000 * r.Value.Seconds / r.Value.Count:0.0} ms"));
        return $"load {Load1:0.0}; CPU s: {cpu}; API server requests: {requests}; etcd: {etcd}";
    }
}

internal sealed class ServerProbe(RawApplier api, string? pidDirectory)
{
    private static readonly string[] Processes = ["etcd", "kube-apiserver", "kube-controller-manager"];

    public sealed record Snapshot(IReadOnlyDictionary<string, double> Cpu, double BenchCpu, Dictionary<string, (double, double)> Requests,
        Dictionary<string, (double, double)> Etcd);

    public async Task<Snapshot> TakeAsync(CancellationToken ct)
    {
        var (requests, etcd) = await MetricsAsync(ct).ConfigureAwait(false);
        return new Snapshot(ProcessCpu(), Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, requests, etcd);
    }

    public static ServerUsage Between(Snapshot before, Snapshot after) => new(
        Load1(),
        after.Cpu.ToDictionary(p => p.Key, p => p.Value - before.Cpu.GetValueOrDefault(p.Key)),
        after.BenchCpu - before.BenchCpu,
        Delta(before.Requests, after.Requests),
        Delta(before.Etcd, after.Etcd));

    public static double Load1() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    private Dictionary<string, double> ProcessCpu()
    {
        var cpu = new Dictionary<string, double>();
        if (pidDirectory is null)
        {
            return cpu;
        }

        foreach (var name in Processes)
        {
            var file = Path.Combine(pidDirectory, $"{name}.pid");
            if (File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture, out var pid))
            {
                using var process = Process.GetProcessById(pid);
                cpu[name] = process.TotalProcessorTime.TotalSeconds;
            }
        }

        return cpu;
    }

    /// <summary>Sums of apiserver_request_duration_seconds by verb (dry runs apart) and of
    /// etcd_request_duration_seconds by operation, from the API server's Prometheus text.</summary>
    private async Task<(Dictionary<string, (double, double)>, Dictionary<string, (double, double)>)> MetricsAsync(CancellationToken ct)
    {
        var (_, text) = await api.SendAsync(HttpMethod.Get, "/metrics", null, null, ct, readBody: true).ConfigureAwait(false);
        var requests = new Dictionary<string, (double, double)>();
        var etcd = new Dictionary<string, (double, double)>();
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            var s = line.ToString();
            if (s.StartsWith("apiserver_request_duration_seconds_", StringComparison.Ordinal))
            {
                var key = Label(s, "verb") + (Label(s, "dry_run") is { Length: > 0 } d ? $"(dryRun={d})" : "");
                Add(requests, s, key);
            }
            else if (s.StartsWith("etcd_request_duration_seconds_", StringComparison.Ordinal))
            {
                Add(etcd, s, Label(s, "operation"));
            }
        }

        return (requests, etcd);
    }

    private static void Add(Dictionary<string, (double Count, double Seconds)> into, string line, string key)
    {
        var value = double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        var (count, seconds) = into.GetValueOrDefault(key);
        if (line.Contains("_count{", StringComparison.Ordinal))
        {
            into[key] = (count + value, seconds);
        }
        else if (line.Contains("_sum{", StringComparison.Ordinal))
        {
            into[key] = (count, seconds + value);
        }
    }

    private static string Label(string line, string name)
    {
        var at = line.IndexOf($"{name}=\"", StringComparison.Ordinal);
        if (at < 0)
        {
            return "";
        }

        at += name.Length + 2;
        return line[at..line.IndexOf('"', at)];
    }

    private static Dictionary<string, (double, double)> Delta(Dictionary<string, (double, double)> before,
        Dictionary<string, (double, double)> after) =>
        after.ToDictionary(p => p.Key, p =>
        {
            var (c0, s0) = before.GetValueOrDefault(p.Key);
            return (p.Value.Item1 - c0, p.Value.Item2 - s0);
        });
}
