using System.CommandLine;
using GitOps.Cli;
using GitOps.Cli.Client;
using GitOps.Cli.Commands;
using GitOps.Rendering;

var root = new RootCommand("gitops: render manifests offline and drive the GitOps controller.\n\n" +
    "Connection: --server HOST:PORT (env GITOPS_SERVER), --token (env GITOPS_TOKEN), --plaintext, or ~/.config/gitops/config.\n" +
    "Exit codes: 0 ok, 1 differences (diff --exit-code) or wait not met, 2+ errors.")
{
    Connection.ServerOption,
    Connection.TokenOption,
    Connection.PlaintextOption,
    Connection.InsecureOption,
    AppCommands.Create(),
    PipelineCommands.Create(),
    RenderCommands.Render(),
    RenderCommands.RenderTemplate(),
    PreviewCommand.Create(),
};

try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is RenderException or GitOps.Source.GitSourceException or NotSupportedException or IOException or FormatException or InvalidDataException)
{
    await Console.Error.WriteLineAsync($"error: {e.Message}");
    return ExitCodes.Error;
}
catch (Exception e) when (e is not OperationCanceledException)
{
    // A bug of ours: one line a user can report, not a stack trace (GITOPS_DEBUG=1 shows it).
    await Console.Error.WriteLineAsync(Environment.GetEnvironmentVariable("GITOPS_DEBUG") == "1"
        ? $"error: internal error: {e}"
        : $"error: internal error ({e.GetType().Name}): {e.Message} (please report it; GITOPS_DEBUG=1 shows where)");
    return ExitCodes.Error;
}
