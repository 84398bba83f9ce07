using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GitOps.Testing;

/// <summary>The real controller as a child process (gitops-controller.dll) with a temp apps file and state, an
/// installation of its own unless the arguments name one.</summary>
public sealed class ControllerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log;
    private readonly string directory;

    private ControllerProcess(Process process, StringBuilder log, string directory, string server, int httpPort)
    {
        this.process = process;
        this.log = log;
        this.directory = directory;
        Server = server;
        HttpUrl = $"http://127.0.0.1:{httpPort}";
    }

    /// <summary>The gRPC address (HOST:PORT, h2c).</summary>
    public string Server { get; }

    /// <summary>The HTTP port: web UI, JSON API, metrics, webhooks.</summary>
    public string HttpUrl { get; }

    public string Log
    {
        get { lock (log) { return log.ToString(); } }
    }

    /// <summary>Starts gitops-controller.dll from the test's output directory (the test project references the controller).</summary>
    public static async Task<ControllerProcess> StartAsync(string kubeconfig, string appsYaml, string? tokensYaml = null,
        IReadOnlyList<string>? extraArgs = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "gitops-cli-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var apps = Path.Combine(directory, "applications.yaml");
        await File.WriteAllTextAsync(apps, appsYaml);
        var (grpcPort, httpPort) = (LoopbackPorts.Free(), LoopbackPorts.Free());
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        List<string> args =
        [
            Path.Combine(AppContext.BaseDirectory, "gitops-controller.dll"),
            "--applications", apps, "--state-dir", Path.Combine(directory, "state"),
            "--cache-dir", Path.Combine(directory, "cache"), "--kubeconfig", kubeconfig,
            "--grpc-listen", $"127.0.0.1:{grpcPort}", "--http-listen", $"127.0.0.1:{httpPort}",
            "--interval", "00:00:02",
        ];
        if (tokensYaml is not null)
        {
            var tokens = Path.Combine(directory, "tokens.yaml");
            await File.WriteAllTextAsync(tokens, tokensYaml);
            args.AddRange(["--tokens", tokens]);
        }

        args.AddRange(TestInstallations.With(extraArgs ?? [], TestInstallations.New()));
        args.ForEach(psi.ArgumentList.Add);
        var log = new StringBuilder();
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start the controller");
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var controller = new ControllerProcess(process, log, directory, $"127.0.0.1:{grpcPort}", httpPort);
        // Both listeners: the HTTP one (JSON API, UI, webhooks) may bind after the gRPC one on a loaded machine.
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                foreach (var port in new[] { grpcPort, httpPort })
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port);
                }

                return true;
            }
            catch (SocketException)
            {
                return process.HasExited ? throw new InvalidOperationException("controller exited:\n" + controller.Log) : false;
            }
        }, up => up, TimeSpan.FromSeconds(60), "the controller listens");
        return controller;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
