using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GitOps.Api.V1;
using GitOps.Testing;
using Grpc.Net.Client;

namespace GitOps.Controller.Tests;

/// <summary>The real controller as a child process (gitops-controller.dll) over a given state directory, so a
/// test can kill it (SIGKILL: no shutdown code runs) and start another one on the same state.</summary>
internal sealed class ControllerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();
    private readonly GrpcChannel channel;

    private ControllerProcess(Process process, int grpcPort)
    {
        this.process = process;
        channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        Client = new ApplicationService.ApplicationServiceClient(channel);
    }

    public ApplicationService.ApplicationServiceClient Client { get; }

    public string Log
    {
        get { lock (log) { return log.ToString(); } }
    }

    /// <param name="directory">Holds applications.yaml; state and cache go under it and outlive the process.</param>
    public static async Task<ControllerProcess> StartAsync(LocalClusterFixture cluster, string directory, params string[] extraArgs)
    {
        var grpcPort = LoopbackPorts.Free();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        List<string> args =
        [
            Path.Combine(AppContext.BaseDirectory, "gitops-controller.dll"),
            "--applications", Path.Combine(directory, "applications.yaml"), "--state-dir", Path.Combine(directory, "state"),
            "--cache-dir", Path.Combine(directory, "cache"), "--kubeconfig", cluster.KubeconfigPath,
            "--grpc-listen", $"127.0.0.1:{grpcPort}", "--http-listen", $"127.0.0.1:{LoopbackPorts.Free()}",
            "--interval", "00:00:02", .. extraArgs,
        ];
        args.ForEach(psi.ArgumentList.Add);
        var controller = new ControllerProcess(Process.Start(psi) ?? throw new InvalidOperationException("cannot start the controller"), grpcPort);
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
        channel.Dispose();
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
