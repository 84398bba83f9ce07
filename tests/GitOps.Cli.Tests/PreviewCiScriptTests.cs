using System.Diagnostics;
using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary>examples/ci/preview.sh, the generic CI step, in a shallow clone of a pull request's branch.</summary>
public sealed class PreviewCiScriptTests : IDisposable
{
    private readonly TempGitRepository repo = TempGitRepository.Create();

    [Fact]
    public async Task The_ci_step_writes_the_comment_and_passes_on_changes()
    {
        repo.CommitFiles("app", ("apps/web/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  color: blue\n"));
        repo.Push("main");
        repo.Git("checkout", "--quiet", "-b", "feature");
        repo.CommitFiles("green", ("apps/web/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  color: green\n"));
        repo.Push("feature");
        // What a CI runner has: a shallow, single-branch clone of the pull request's head.
        var checkout = Path.Combine(repo.Root, "ci");
        TempGitRepository.Run(repo.Root, "clone", "--quiet", "--depth", "1", "--branch", "feature", "file://" + repo.BarePath, checkout);
        var apps = Path.Combine(repo.Root, "apps.yaml");
        await File.WriteAllTextAsync(apps, "apiVersion: gitops.dev/v1alpha1\nkind: Application\nmetadata:\n  name: web\nspec:\n" +
            $"  source:\n    repoURL: {repo.FileUrl}\n    path: apps/web\n  destination:\n    namespace: web\n");
        var bin = Path.Combine(repo.Root, "bin");
        Directory.CreateDirectory(bin);
        var gitops = Path.Combine(bin, "gitops");
        await File.WriteAllTextAsync(gitops, $"#!/bin/sh\nexec dotnet '{Path.Combine(AppContext.BaseDirectory, "gitops.dll")}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(gitops, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var psi = new ProcessStartInfo("bash") { WorkingDirectory = checkout, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(RepositoryLayout.Root, "examples/ci/preview.sh"));
        psi.ArgumentList.Add(apps);
        psi.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await stdout}\n{await stderr}");
        Assert.Contains("applications change", await stdout, StringComparison.Ordinal);
        var comment = await File.ReadAllTextAsync(Path.Combine(checkout, "preview.md"));
        Assert.StartsWith("<!-- gitops-preview -->", comment, StringComparison.Ordinal);
        Assert.Contains("-  color: blue\n+  color: green", comment, StringComparison.Ordinal);
    }

    public void Dispose() => repo.Dispose();
}
