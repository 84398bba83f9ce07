using System.Diagnostics;
using System.Text;
using GitOps.Testing;
using k8s;

namespace GitOps.Ui.Tests;

/// <summary>The node simulator (gitops-node-sim.dll, beside the tests) as a child process, driving only one namespace's
/// Pods on Nodes named for it, so other tests' Pods stay Pending.</summary>
internal sealed class NodeSimulatorProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    private NodeSimulatorProcess(Process process) => this.process = process;

    public static async Task<NodeSimulatorProcess> StartAsync(LocalClusterFixture cluster, string ns)
    {
        var prefix = $"sim-{ns}";
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "gitops-node-sim.dll"), "--kubeconfig", cluster.KubeconfigPath,
                     "--namespace", ns, "--node-prefix", prefix, "--start-delay", "500ms", "--run-duration", "1s",
                 })
        {
            psi.ArgumentList.Add(arg);
        }

        var simulator = new NodeSimulatorProcess(Process.Start(psi) ?? throw new InvalidOperationException("cannot start the node simulator"));
        simulator.process.OutputDataReceived += (_, e) => simulator.Append(e.Data);
        simulator.process.ErrorDataReceived += (_, e) => simulator.Append(e.Data);
        simulator.process.BeginOutputReadLine();
        simulator.process.BeginErrorReadLine();
        await Eventually.HoldsAsync(async () =>
            {
                Assert.False(simulator.process.HasExited, $"the node simulator exited:\n{simulator.Log}");
                var nodes = await cluster.Client.CoreV1.ListNodeAsync();
                return nodes.Items.Any(n => n.Metadata.Name.StartsWith(prefix, StringComparison.Ordinal)
                                            && n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
            },
            ready => ready, TimeSpan.FromSeconds(60), "the simulated node is Ready");
        return simulator;
    }

    public string Log
    {
        get { lock (log) { return log.ToString(); } }
    }

    private void Append(string? line)
    {
        lock (log)
        {
            log.AppendLine(line);
        }
    }

    /// <summary>SIGTERM (the simulator deletes its Nodes), then a kill if it has not exited in time.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            using (Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.Dispose();
    }
}
