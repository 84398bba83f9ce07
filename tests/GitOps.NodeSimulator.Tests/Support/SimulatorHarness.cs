using GitOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.NodeSimulator.Tests.Support;

/// <summary>A namespace of one test and a node simulator that drives only that namespace's Pods, on Nodes named
/// uniquely for the test (other tests on the same cluster keep their Pending Pods).</summary>
internal sealed class SimulatorHarness : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private SimulatorHarness(LocalClusterFixture cluster, TestNamespace ns, SimulatorOptions options)
    {
        Cluster = cluster;
        Namespace = ns;
        Options = options;
    }

    public LocalClusterFixture Cluster { get; }

    public TestNamespace Namespace { get; }

    public SimulatorOptions Options { get; }

    public Simulator? Simulator { get; private set; }

    public string Ns => Namespace.Name;

    public IKubernetes Client => Cluster.Client;

    public static async Task<SimulatorHarness> StartAsync(LocalClusterFixture cluster, string prefix,
        Func<SimulatorOptions, SimulatorOptions>? configure = null)
    {
        var ns = await cluster.CreateNamespaceAsync(prefix);
        var options = new SimulatorOptions
        {
            NodePrefix = $"sim-{ns.Name}",
            Scope = NamespaceScope.Of([ns.Name]),
            StartDelay = TimeSpan.FromMilliseconds(500),
            RunDuration = TimeSpan.FromSeconds(1),
        };
        var harness = new SimulatorHarness(cluster, ns, configure?.Invoke(options) ?? options);
        await harness.StartSimulatorAsync();
        return harness;
    }

    public async Task StartSimulatorAsync()
    {
        Simulator = new Simulator(Cluster.Client, Options, TimeProvider.System, NullLoggerFactory.Instance);
        await Simulator.StartAsync(CancellationToken.None);
    }

    public async Task StopSimulatorAsync()
    {
        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
            Simulator = null;
        }
    }

    public Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, string because) =>
        Eventually.HoldsAsync(probe, condition, Deadline, because);

    public async ValueTask DisposeAsync()
    {
        // The namespace goes first, while the simulator still removes the Pods its deletion marks.
        await Namespace.DisposeAsync();
        await StopSimulatorAsync();
        // Nodes a test asked the simulator to keep on exit: no test leaves a Node behind.
        for (var i = 0; i < Options.NodeCount; i++)
        {
            try
            {
                await Client.CoreV1.DeleteNodeAsync($"{Options.NodePrefix}-{i}");
            }
            catch (k8s.Autorest.HttpOperationException)
            {
                // Already deleted by the simulator.
            }
        }
    }
}
