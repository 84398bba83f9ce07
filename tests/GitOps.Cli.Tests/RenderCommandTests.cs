using System.Diagnostics;
using System.Text.Json.Nodes;
using GitOps.Rendering.Yaml;
using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary>`gitops render` of the examples equals the reference tools; errors name the file.</summary>
public sealed class RenderCommandTests
{
    [Theory]
    [InlineData("examples/echo-ip/overlays/dev")]
    [InlineData("examples/echo-ip/overlays/prod")]
    [InlineData("examples/metallb")]
    [InlineData("examples/sample-app/k8s/canary")]
    [InlineData("examples/sample-app/k8s/prod")]
    public async Task Kustomize_examples_render_like_kubectl_kustomize(string path)
    {
        var ours = await Cli.RunAsync("render", path);
        Assert.True(ours.ExitCode == 0, ours.ToString());

        var expected = Kubectl("kustomize", Path.Combine(RepositoryLayout.Root, path));
        Assert.Equal(Canonical(expected), Canonical(ours.Stdout));
    }

    [Fact]
    public async Task Plain_example_renders_every_document()
    {
        var result = await Cli.RunAsync("render", "examples/rollout-nginx");

        Assert.True(result.ExitCode == 0, result.ToString());
        var kinds = ManifestYaml.ParseManifests(result.Stdout).Select(m => m.Kind).Order();
        Assert.Equal(["Deployment", "Service"], kinds);
    }

    [Fact]
    public async Task Broken_yaml_names_the_file_and_line()
    {
        var dir = Path.Combine(Path.GetTempPath(), "gitops-render-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "bad.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: [oops\n");
        try
        {
            var result = await Cli.RunAsync("render", dir);

            Assert.Equal(2, result.ExitCode);
            Assert.Matches(@"^error: .*bad\.yaml:\d+", result.Stderr);
            Assert.Equal("", result.Stdout);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Objects keyed by kind/namespace/name, each as canonical JSON, so order and formatting do not matter.</summary>
    private static List<string> Canonical(string yaml) =>
        ManifestYaml.ParseManifests(yaml)
            .Select(m => $"{m.Kind}/{m.Namespace}/{m.Name} {Sorted(m.Object)!.ToJsonString()}")
            .Order(StringComparer.Ordinal)
            .ToList();

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };

    private static string Kubectl(params string[] args)
    {
        var psi = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
        return output;
    }
}
