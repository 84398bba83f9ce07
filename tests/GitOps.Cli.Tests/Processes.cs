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
    public static Task<CliResult> RunAsync(IReadOnlyDictionary<string, string>? env, params string[] args) =>
        RunInAsync(RepositoryLayout.Root, env, args);

    public static async Task<CliResult> RunInAsync(string workingDirectory, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
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
