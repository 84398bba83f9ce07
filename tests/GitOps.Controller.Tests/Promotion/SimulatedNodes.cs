using GitOps.NodeSimulator;
using GitOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Controller.Tests.Promotion;

/// <summary>The node simulator (src/GitOps.NodeSimulator) in-process, driving only the given namespaces' Pods on
/// Nodes named for the test, so Deployments get real replicas, Jobs really finish and an unpullable image really
/// exceeds its progress deadline; other tests' Pods stay Pending.</summary>
internal sealed class SimulatedNodes : IAsyncDisposable
{
    private readonly Simulator simulator;

    private SimulatedNodes(Simulator simulator) => this.simulator = simulator;

    public static async Task<SimulatedNodes> StartAsync(LocalClusterFixture cluster, params string[] namespaces)
    {
        var simulator = new Simulator(cluster.Client, new SimulatorOptions
        {
            NodePrefix = $"sim-{namespaces[0]}",
            Scope = NamespaceScope.Of(namespaces),
            StartDelay = TimeSpan.FromMilliseconds(500),
            RunDuration = TimeSpan.FromSeconds(1),
        }, TimeProvider.System, NullLoggerFactory.Instance);
        await simulator.StartAsync(CancellationToken.None);
        return new SimulatedNodes(simulator);
    }

    /// <summary>A Deployment of one replica; <paramref name="image"/> containing <c>unpullable</c> never pulls, and
    /// the short progress deadline makes that Degraded within seconds.</summary>
    public static string Deployment(string name, string image) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
        spec:
          replicas: 1
          progressDeadlineSeconds: 6
          selector:
            matchLabels: {"{"}app: {name}{"}"}
          template:
            metadata:
              labels: {"{"}app: {name}{"}"}
            spec:
              containers:
                - name: web
                  image: {image}
        """;

    public ValueTask DisposeAsync() => simulator.DisposeAsync();
}
