using System.CommandLine;
using GitOps.Cli;
using GitOps.Cli.Commands;
using GitOps.Rendering;

var root = new RootCommand("gitops: render manifests offline and drive the GitOps controller")
{
    RenderCommands.Render(),
    RenderCommands.RenderTemplate(),
};

try
{
    return await root.Parse(args).InvokeAsync();
}
catch (RenderException e)
{
    await Console.Error.WriteLineAsync($"error: {e.Message}");
    return ExitCodes.Error;
}
catch (NotSupportedException e)
{
    await Console.Error.WriteLineAsync($"error: {e.Message}");
    return ExitCodes.Error;
}
catch (IOException e)
{
    await Console.Error.WriteLineAsync($"error: {e.Message}");
    return ExitCodes.Error;
}
