using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary>The result of one `gitops` run.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>Runs the real `gitops` as a child process: the executable named by GITOPS_TEST_CLI when set (.ci/run
/// sets it to the published Native AOT binary, so every CLI test runs against what ships), else the JIT build
/// beside the tests (gitops.dll).</summary>
internal static class Cli
{
    /// <summary>The published executable under test, or null for the JIT build.</summary>
    public static string? Published { get; } = Environment.GetEnvironmentVariable("GITOPS_TEST_CLI") is { Length: > 0 } path
        ? Path.GetFullPath(path, RepositoryLayout.Root)
        : null;

    public static Task<CliResult> RunAsync(IReadOnlyDictionary<string, string>? env, params string[] args) =>
        RunAsync(Published, env, args);

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(null, args);

    /// <summary>The JIT build (gitops.dll under `dotnet`), whatever GITOPS_TEST_CLI says.</summary>
    public static Task<CliResult> RunJitAsync(params string[] args) => RunAsync(null, null, args);

    private static async Task<CliResult> RunAsync(string? executable, IReadOnlyDictionary<string, string>? env, string[] args)
    {
        var psi = new ProcessStartInfo(executable ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryLayout.Root,
        };
        if (executable is null)
        {
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gitops.dll"));
        }

        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        // Isolate from the developer's own configuration.
        psi.Environment["GITOPS_CONFIG"] = "/nonexistent";
        psi.Environment.Remove("GITOPS_SERVER");
        psi.Environment.Remove("GITOPS_TOKEN");
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {psi.FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>The real controller as a child process (gitops-controller.dll) with a temp apps file and state.</summary>
internal sealed class ControllerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log;
    private readonly string directory;

    private ControllerProcess(Process process, StringBuilder log, string directory, string server)
    {
        this.process = process;
        this.log = log;
        this.directory = directory;
        Server = server;
    }

    public string Server { get; }

    public string Log
    {
        get { lock (log) { return log.ToString(); } }
    }

    public static async Task<ControllerProcess> StartAsync(string kubeconfig, string appsYaml, string? tokensYaml = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "gitops-cli-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var apps = Path.Combine(directory, "applications.yaml");
        await File.WriteAllTextAsync(apps, appsYaml);
        var grpcPort = LoopbackPorts.Free();
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
            "--grpc-listen", $"127.0.0.1:{grpcPort}", "--http-listen", $"127.0.0.1:{LoopbackPorts.Free()}",
            "--interval", "00:00:02",
        ];
        if (tokensYaml is not null)
        {
            var tokens = Path.Combine(directory, "tokens.yaml");
            await File.WriteAllTextAsync(tokens, tokensYaml);
            args.AddRange(["--tokens", tokens]);
        }

        args.ForEach(psi.ArgumentList.Add);
        var log = new StringBuilder();
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start the controller");
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var controller = new ControllerProcess(process, log, directory, $"127.0.0.1:{grpcPort}");
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
