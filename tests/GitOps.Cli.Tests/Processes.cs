using System.Diagnostics;
using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary>The result of one `gitops` run.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>Runs the real `gitops` executable (the built gitops.dll) as a child process.</summary>
internal static class Cli
{
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryLayout.Root,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gitops.dll"));
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

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(null, args);
}

/// <summary>The real controller as a child process (GitOps.Testing's) with a temp apps file, tokens and state.</summary>
internal sealed class CliController : IAsyncDisposable
{
    private readonly ControllerProcess process;
    private readonly string directory;

    private CliController(ControllerProcess process, string directory)
    {
        this.process = process;
        this.directory = directory;
    }

    public string Server => process.Server;

    public string Log => process.Log;

    public static async Task<CliController> StartAsync(string kubeconfig, string appsYaml, string? tokensYaml = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "gitops-cli-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "applications.yaml"), appsYaml);
        List<string> args = [];
        if (tokensYaml is not null)
        {
            var tokens = Path.Combine(directory, "tokens.yaml");
            await File.WriteAllTextAsync(tokens, tokensYaml);
            args.AddRange(["--tokens", tokens]);
        }

        return new CliController(await ControllerProcess.StartAsync(kubeconfig, directory, [.. args]), directory);
    }

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
