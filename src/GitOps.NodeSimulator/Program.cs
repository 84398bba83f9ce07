using System.Globalization;
using GitOps.NodeSimulator;
using k8s;
using Microsoft.Extensions.Logging;

// gitops-node-sim: fake Nodes for a control plane without kubelets. See docs/node-simulator.md.
const string Usage = """
    usage: gitops-node-sim [--kubeconfig PATH] [--nodes N] [--node-prefix NAME]
                           [--namespace NS]... | [--all-namespaces]
                           [--start-delay 1s] [--run-duration 2s] [--log-port PORT] [--keep-nodes]
      --namespace NS     drive Pods in NS only (repeatable; NS may end in * to match a prefix)
      --all-namespaces   drive every Pod in the cluster (the default when no --namespace is given)
    """;

string? kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG");
var options = new SimulatorOptions();
var namespaces = new List<string>();
try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        TimeSpan Duration(string flag) => PodRules.TryParseDuration(Value(), out var d) ? d
            : throw new ArgumentException($"{flag}: not a duration (e.g. 500ms, 2s, 1m)");
        switch (args[i])
        {
            case "--kubeconfig": kubeconfig = Value(); break;
            case "--nodes": options = options with { NodeCount = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
            case "--node-prefix": options = options with { NodePrefix = Value() }; break;
            case "--namespace" or "-n":
                namespaces.AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                break;
            case "--all-namespaces" or "-A": break;
            case "--start-delay": options = options with { StartDelay = Duration("--start-delay") }; break;
            case "--run-duration": options = options with { RunDuration = Duration("--run-duration") }; break;
            case "--log-port": options = options with { LogPort = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
            case "--keep-nodes": options = options with { DeleteNodesOnExit = false }; break;
            case "-h" or "--help": Console.WriteLine(Usage); return 0;
            default: throw new ArgumentException($"unknown argument {args[i]}");
        }
    }
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"gitops-node-sim: {e.Message}\n{Usage}");
    return 2;
}

if (namespaces.Count > 0)
{
    options = options with { Scope = NamespaceScope.Of(namespaces) };
}

using var loggers = LoggerFactory.Create(b => b
    .AddFilter("Microsoft", LogLevel.Warning) // Kestrel's start-up chatter
    .AddSimpleConsole(c =>
    {
        c.SingleLine = true;
        c.TimestampFormat = "HH:mm:ss ";
    }));
var config = kubeconfig is { Length: > 0 }
    ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)
    : KubernetesClientConfiguration.BuildDefaultConfig();
using var client = new Kubernetes(config);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx =>
    {
        ctx.Cancel = true;
        stop.Cancel();
    });

await using (var simulator = new Simulator(client, options, TimeProvider.System, loggers))
{
    await simulator.StartAsync(stop.Token);
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        // SIGTERM or Ctrl+C: dispose deletes the nodes.
    }
}

return 0;

