// Chart-repository benchmark (issue 13): an index.yaml of Bitnami's size (~18 MB, 13 000 versions of 130 charts,
// with descriptions, maintainers, dependencies, annotations as Bitnami's carries them), generated; timed: parsing it,
// resolving a range in it, and a whole resolution over real HTTP cold (download + parse + select) and warm (a 304).
// `dotnet run -c Release` prints one line per figure (median of the rounds) and the process's peak working set.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using GitOps.Source.Charts;
using GitOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;

const int Charts = 130;
const int VersionsPerChart = 100;
const int Rounds = 7;
var culture = CultureInfo.InvariantCulture;

var index = Generate();
if (args.Length > 0 && args[0] == "--write")
{
    File.WriteAllBytes(args[1], index); // the generated index, for other tools
    return;
}

Console.WriteLine(string.Create(culture, $"index.yaml: {index.Length / 1024.0 / 1024.0:0.0} MB, {Charts} charts, {Charts * VersionsPerChart} versions"));

var parse = new List<double>();
var parseCpu = new List<double>();
var select = new List<double>();
var self = Process.GetCurrentProcess();
ChartIndex? parsed = null;
for (var round = 0; round < Rounds; round++)
{
    self.Refresh();
    var cpu = self.TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    using (var reader = new StreamReader(new MemoryStream(index), Encoding.UTF8))
    {
        parsed = ChartIndex.Parse(reader, "index.yaml");
    }

    parse.Add(watch.Elapsed.TotalMilliseconds);
    self.Refresh();
    parseCpu.Add((self.TotalProcessorTime - cpu).TotalMilliseconds);
    watch.Restart();
    var hit = parsed.Select("chart-077", "~12.3") ?? throw new InvalidOperationException("no match");
    select.Add(watch.Elapsed.TotalMilliseconds);
    if (hit.Version != "12.3.4")
    {
        throw new InvalidOperationException($"resolved {hit.Version}");
    }
}

using var server = new ChartRepositoryServer();
server.Put("index.yaml", index);
var cold = new List<double>();
var warm = new List<double>();
for (var round = 0; round < Rounds; round++)
{
    var cache = Path.Combine(Path.GetTempPath(), "gitops-bench-charts-" + Guid.NewGuid().ToString("N")[..8]);
    using (var source = new ChartSource(new ChartSourceOptions { CacheDirectory = cache }, NullLogger<ChartSource>.Instance))
    {
        var watch = Stopwatch.StartNew();
        await source.ResolveAsync(server.Url, "chart-077", "~12.3", CancellationToken.None);
        cold.Add(watch.Elapsed.TotalMilliseconds);
        watch.Restart();
        var again = await source.ResolveAsync(server.Url, "chart-077", "~12.3", CancellationToken.None);
        warm.Add(watch.Elapsed.TotalMilliseconds);
        if (again.Version != "12.3.4")
        {
            throw new InvalidOperationException($"resolved {again.Version}");
        }
    }

    Directory.Delete(cache, recursive: true);
}

Console.WriteLine(string.Create(culture, $"parse index.yaml:                  median {Median(parse),8:0.0} ms (min {parse.Min():0.0}, max {parse.Max():0.0}); process CPU median {Median(parseCpu):0.0} ms"));
Console.WriteLine(string.Create(culture, $"resolve a range in a parsed index: median {Median(select),8:0.000} ms"));
Console.WriteLine(string.Create(culture, $"resolve over HTTP, cold:           median {Median(cold),8:0.0} ms (GET 200 + parse + select)"));
Console.WriteLine(string.Create(culture, $"resolve over HTTP, warm:           median {Median(warm),8:0.0} ms (conditional GET 304 + select)"));
Console.WriteLine(string.Create(culture, $"304s served: {server.Count("index.yaml", 304)} of {server.Requests.Count} requests; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MB"));

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}

// Bitnami-like entries: every field Helm writes, long descriptions, maintainers, dependencies, annotations.
static byte[] Generate()
{
    var text = new StringBuilder("apiVersion: v1\nentries:\n");
    for (var c = 0; c < Charts; c++)
    {
        var name = $"chart-{c:000}";
        text.Append(CultureInfo.InvariantCulture, $"  {name}:\n");
        for (var v = 0; v < VersionsPerChart; v++)
        {
            var version = $"{10 + v / 20}.{v / 5 % 4}.{v % 5}";
            if (v % 25 == 24)
            {
                version += "-rc.1";
            }

            text.Append(CultureInfo.InvariantCulture, $"""
                  - annotations:
                      category: Infrastructure
                      images: |
                        - name: {name}
                          image: docker.io/bitnami/{name}:1.{v}.0-debian-12-r{v % 9}
                        - name: os-shell
                          image: docker.io/bitnami/os-shell:12-debian-12-r{v % 40}
                      licenses: Apache-2.0
                    apiVersion: v2
                    appVersion: 1.{v}.0
                    created: "2024-0{v % 9 + 1}-1{v % 9}T10:2{v % 10}:00.{v:000}000000Z"
                    dependencies:
                    - name: common
                      repository: oci://registry-1.docker.io/bitnamicharts
                      tags:
                      - bitnami-common
                      version: 2.x.x
                    - condition: redis.enabled
                      name: redis
                      repository: oci://registry-1.docker.io/bitnamicharts
                      version: 19.x.x
                    description: {name} is an open source, distributed, in-memory key-value data store, used as a database,
                      cache and message broker; this chart bootstraps a deployment on a Kubernetes cluster using the Helm
                      package manager, with replication, sentinel, metrics and persistence options.
                    digest: {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(name + version)))}
                    home: https://bitnami.com
                    icon: https://bitnami.com/assets/stacks/{name}/img/{name}-stack-220x234.png
                    keywords:
                    - {name}
                    - keyvalue
                    - database
                    maintainers:
                    - name: Broadcom, Inc. All Rights Reserved.
                      url: https://github.com/bitnami/charts
                    name: {name}
                    sources:
                    - https://github.com/bitnami/charts/tree/main/bitnami/{name}
                    urls:
                    - https://charts.bitnami.com/bitnami/{name}-{version}.tgz
                    version: {version}

                """);
        }
    }

    text.Append("generated: \"2024-09-01T10:00:00.000000000Z\"\n");
    return Encoding.UTF8.GetBytes(text.ToString());
}
