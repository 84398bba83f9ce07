using System.Diagnostics;
using GitOps.Bench.Engine;
using GitOps.Engine;
using k8s;
using Microsoft.Extensions.Logging;

var kubeconfig = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal))
    ?? Environment.GetEnvironmentVariable("KUBECONFIG")
    ?? throw new InvalidOperationException("usage: GitOps.Bench.Engine <kubeconfig> [--debug]");
var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
var level = args.Contains("--debug") ? LogLevel.Debug : LogLevel.Warning;
await using var engine = new ClusterEngine(client, new ConsoleLogger<ClusterEngine>(level));
var sw = Stopwatch.StartNew();
var cmp = await engine.CompareAsync(new AppTarget("bench-probe", "default"), DesiredSet.FromSuccessfulRender([], "x"),
    new CompareOptions(), CancellationToken.None);
Console.WriteLine($"started in {sw.ElapsedMilliseconds} ms, {cmp.Resources.Count} resources, calls {engine.ApiCalls}");
