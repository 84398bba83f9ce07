using GitOps.Rendering;
using GitOps.Rendering.Kustomize;
using GitOps.Rendering.Plain;
using GitOps.Rendering.Yaml;

// Usage: render-harness render PATH
if (args.Length < 2 || args[0] != "render")
{
    await Console.Error.WriteLineAsync("usage: render-harness render PATH");
    return 2;
}

try
{
    var renderer = new ManifestRenderer([new KustomizeRenderer(), new PlainRenderer()]);
    var result = await renderer.RenderAsync(RenderRequest.ForDirectory(args[1]), CancellationToken.None);
    await Console.Out.WriteAsync(ManifestYaml.Write(result.Manifests));
    return 0;
}
catch (RenderException e)
{
    await Console.Error.WriteLineAsync($"error: {e.Message}");
    return 1;
}
