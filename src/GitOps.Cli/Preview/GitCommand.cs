using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using GitOps.Source;

namespace GitOps.Cli.Preview;

/// <summary>
/// Runs the git command against one repository. `gitops preview` runs where a CI job already has git and a
/// checkout, so it reads them with that git instead of a native git library: the CLI then publishes as one
/// Native AOT binary (LibGit2Sharp's marshalling cannot be compiled ahead of time).
/// </summary>
internal sealed class GitCommand(string gitDirectory)
{
    /// <summary>Runs <c>git ARGS</c> (no repository) and returns its standard output.</summary>
    public static Task<string> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        RunCoreAsync(null, args, allowExitOne: false, cancellationToken)!;

    /// <summary>Runs <c>git --git-dir=DIR ARGS</c> and returns its standard output; exit status 1 is an
    /// answer ("no") when <paramref name="allowExitOne"/>, and gives null.</summary>
    public Task<string?> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken, bool allowExitOne = false) =>
        RunCoreAsync(gitDirectory, args, allowExitOne, cancellationToken);

    /// <summary>Starts a long-running git (e.g. <c>cat-file --batch</c>) with standard input and output as streams.</summary>
    public Process Start(IReadOnlyList<string> args) => StartProcess(gitDirectory, args, redirectInput: true);

    private static async Task<string?> RunCoreAsync(string? gitDirectory, IReadOnlyList<string> args, bool allowExitOne,
        CancellationToken cancellationToken)
    {
        using var process = StartProcess(gitDirectory, args, redirectInput: false);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = await stdout;
        var error = await stderr;
        return process.ExitCode switch
        {
            0 => output,
            1 when allowExitOne => null,
            _ => throw new GitSourceException(Classify(error), $"git {args[0]}: {FirstLine(error)}"),
        };
    }

    private static Process StartProcess(string? gitDirectory, IReadOnlyList<string> args, bool redirectInput)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            StandardOutputEncoding = redirectInput ? null : Encoding.UTF8,
        };
        if (gitDirectory is not null)
        {
            start.ArgumentList.Add("--git-dir=" + gitDirectory);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Never wait for a password on a terminal; English messages, so errors can be classified.
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["LC_ALL"] = "C";
        try
        {
            return Process.Start(start) ?? throw new GitSourceException(GitSourceErrorKind.Internal, "git could not be started");
        }
        catch (Win32Exception e)
        {
            throw new GitSourceException(GitSourceErrorKind.Internal,
                $"the git command could not be run ({e.Message}): gitops preview reads repositories with git", e);
        }
    }

    private static GitSourceErrorKind Classify(string stderr) =>
        stderr.Contains("Authentication failed", StringComparison.Ordinal) || stderr.Contains("could not read Username", StringComparison.Ordinal)
            ? GitSourceErrorKind.Authentication
            : stderr.Contains("unable to access", StringComparison.Ordinal) || stderr.Contains("Could not resolve host", StringComparison.Ordinal)
                ? GitSourceErrorKind.Network
                : stderr.Contains("does not exist", StringComparison.Ordinal) || stderr.Contains("not a git repository", StringComparison.Ordinal)
                    ? GitSourceErrorKind.InvalidUrl
                    : GitSourceErrorKind.Internal;

    private static string FirstLine(string stderr)
    {
        var line = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(l => l.StartsWith("fatal:", StringComparison.Ordinal) || l.StartsWith("error:", StringComparison.Ordinal))
            ?? stderr.Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
