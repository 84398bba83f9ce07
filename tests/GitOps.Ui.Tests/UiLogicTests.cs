using System.Diagnostics;
using GitOps.Testing;

namespace GitOps.Ui.Tests;

/// <summary>The UI's pure logic (ui/test: filters, counts, the tree's order, manifest splitting with Secrets left
/// out), run by node's test runner so `hack/test.sh` covers it.</summary>
public sealed class UiLogicTests
{
    [Fact]
    public async Task UiUnitTestsPass()
    {
        var psi = new ProcessStartInfo("node", [Path.Combine("test", "run.mjs")])
        {
            WorkingDirectory = Path.Combine(RepositoryLayout.Root, "ui"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"ui unit tests failed:\n{output}\n{await stderr}");
        Assert.Contains("# fail 0", output, StringComparison.Ordinal);
    }
}
