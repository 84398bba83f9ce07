using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GitOps.Testing;

/// <summary>The real controller as a child process (gitops-controller.dll from the test's output directory) over
/// a given directory (applications.yaml in it; state and cache under it, outliving the process), so a test can
/// kill it (SIGKILL: no shutdown code runs) or stop it (SIGTERM) and start another one on the same state.</summary>
public sealed class RestartableControllerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    private RestartableControllerProcess(Process process, int grpcPort, int httpPort)
    {
        this.process = process;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
    }

    public int GrpcPort { get; }

    /// <summary>The HTTP port (/readyz, /metrics, webhooks).</summary>
    public int HttpPort { get; }

    /// <summary>host:port of the gRPC API, as the CLI's --server takes it.</summary>
    public string Server => $"127.0.0.1:{GrpcPort}";

    public string Log
    {
        get { lock (log) { return log.ToString(); } }
    }

    public static async Task<RestartableControllerProcess> StartAsync(string kubeconfig, string directory, params string[] extraArgs)
    {
        var (grpcPort, httpPort) = (LoopbackPorts.Free(), LoopbackPorts.Free());
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        List<string> args =
        [
            Path.Combine(AppContext.BaseDirectory, "gitops-controller.dll"),
            "--applications", Path.Combine(directory, "applications.yaml"), "--state-dir", Path.Combine(directory, "state"),
            "--cache-dir", Path.Combine(directory, "cache"), "--kubeconfig", kubeconfig,
            "--grpc-listen", $"127.0.0.1:{grpcPort}", "--http-listen", $"127.0.0.1:{httpPort}",
            "--interval", "00:00:02",
            // Derived from the directory: a restart over the same state is the same installation.
            .. TestInstallations.With(extraArgs, TestInstallations.For(Path.GetFullPath(directory))),
        ];
        args.ForEach(psi.ArgumentList.Add);
        var controller = new RestartableControllerProcess(Process.Start(psi) ?? throw new InvalidOperationException("cannot start the controller"), grpcPort, httpPort);
        controller.process.OutputDataReceived += (_, e) => controller.Append(e.Data);
        controller.process.ErrorDataReceived += (_, e) => controller.Append(e.Data);
        controller.process.BeginOutputReadLine();
        controller.process.BeginErrorReadLine();
        await Eventually.HoldsAsync(async () =>
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, grpcPort);
                return true;
            }
            catch (SocketException)
            {
                return controller.process.HasExited ? throw new InvalidOperationException("controller exited:\n" + controller.Log) : false;
            }
        }, up => up, TimeSpan.FromSeconds(60), "the controller listens");
        return controller;
    }

    /// <summary>SIGTERM, as Kubernetes asks a pod to stop, then waits for the process to exit by itself.</summary>
    /// <returns>How long it took and its exit code; null when it had not exited after <paramref name="wait"/>
    /// (it is then left running: <see cref="KillAsync"/> or disposal ends it).</returns>
    public async Task<(TimeSpan Elapsed, int ExitCode)?> TerminateAsync(TimeSpan wait)
    {
        var started = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        return (started.Elapsed, process.ExitCode);
    }

    /// <summary>SIGKILL, as a crash or an OOM kill would end it.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    private void Append(string? line)
    {
        lock (log)
        {
            log.AppendLine(line);
        }
    }
}
