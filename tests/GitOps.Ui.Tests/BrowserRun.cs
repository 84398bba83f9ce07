using System.Diagnostics;
using System.Text;
using GitOps.Testing;

namespace GitOps.Ui.Tests;

/// <summary>Runs one browser scenario of ui/e2e (node + playwright-core + Debian's chromium) against a scenario's
/// controller, answering its commit requests with real git commits and its other requests ("@@act VERB ARG", a change
/// in the cluster) with <c>act</c>. Screenshots go to ui/e2e/artifacts.</summary>
internal static class BrowserRun
{
    public static string Artifacts { get; } = Path.Combine(RepositoryLayout.Root, "ui", "e2e", "artifacts");

    public static async Task RunAsync(UiScenario scenario, string name, Func<string, string, Task<string>>? act = null)
    {
        var ui = Path.Combine(RepositoryLayout.Root, "ui");
        Assert.True(File.Exists("/usr/bin/chromium") || Environment.GetEnvironmentVariable("CHROMIUM") is not null,
            "Debian's chromium is needed (hack/install-deps.sh installs it)");
        Assert.True(Directory.Exists(Path.Combine(ui, "node_modules", "playwright-core")),
            "ui/node_modules is missing: building the controller runs npm ci (needs node and npm)");
        var psi = new ProcessStartInfo("node", [Path.Combine("e2e", "run.mjs"), name])
        {
            WorkingDirectory = ui,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["GITOPS_UI_URL"] = scenario.Controller.HttpUrl;
        psi.Environment["GITOPS_UI_ADMIN_TOKEN"] = UiScenario.AdminToken;
        psi.Environment["GITOPS_UI_READONLY_TOKEN"] = UiScenario.ReadOnlyToken;
        psi.Environment["GITOPS_UI_APPROVER_TOKEN"] = UiScenario.ApproverToken;
        psi.Environment["GITOPS_UI_APPS"] = string.Join(',', scenario.Apps);
        psi.Environment["GITOPS_UI_ARTIFACTS"] = Artifacts;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start node");
        var output = new StringBuilder();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.AppendLine(line);
                var parts = line.Split(' ', 3);
                var answer = parts switch
                {
                    ["@@commit", var app, var value] => scenario.Commit(app, value),
                    ["@@act", var verb, var arg] => await (act ?? throw new InvalidOperationException($"scenario '{name}' asked: {line}"))(verb, arg),
                    _ => null,
                };
                if (answer is not null)
                {
                    await process.StandardInput.WriteLineAsync(answer);
                    await process.StandardInput.FlushAsync(timeout.Token);
                }
            }

            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            output.AppendLine("(timed out)");
        }

        Assert.True(process.HasExited && process.ExitCode == 0,
            $"browser scenario '{name}' failed:\n{output}\nstderr:\n{await stderr}\ncontroller log (tail):\n{Tail(scenario.Controller.Log)}");
    }

    private static string Tail(string log) => log.Length > 4000 ? log[^4000..] : log;
}
