using System.Diagnostics;
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
        RunAsync(Published, RepositoryLayout.Root, env, args);

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(null, args);

    /// <summary>Runs from another working directory (relative paths such as `-f values.yaml` resolve there).</summary>
    public static Task<CliResult> RunInAsync(string workingDirectory, IReadOnlyDictionary<string, string>? env, params string[] args) =>
        RunAsync(Published, workingDirectory, env, args);

    /// <summary>The JIT build (gitops.dll under `dotnet`), whatever GITOPS_TEST_CLI says.</summary>
    public static Task<CliResult> RunJitAsync(params string[] args) => RunAsync(null, RepositoryLayout.Root, null, args);

    private static async Task<CliResult> RunAsync(string? executable, string workingDirectory,
        IReadOnlyDictionary<string, string>? env, string[] args)
    {
        var psi = new ProcessStartInfo(executable ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
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
