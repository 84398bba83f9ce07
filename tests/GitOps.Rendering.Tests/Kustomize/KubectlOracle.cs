using System.Diagnostics;
using System.Text.Json.Nodes;
using GitOps.Rendering.Kustomize;
using GitOps.Rendering.Yaml;

namespace GitOps.Rendering.Tests.Kustomize;

/// <summary>Renders a fixture with our KustomizeRenderer and with `kubectl kustomize`, and compares the two
/// outputs as parsed objects (order-insensitive by apiVersion/kind/namespace/name, scalars by value).</summary>
internal static class KubectlOracle
{
    public static string FixtureRoot => Path.Combine(AppContext.BaseDirectory, "testdata", "kustomize");

    public static IEnumerable<object[]> Cases(string prefix) =>
        Directory.EnumerateDirectories(FixtureRoot)
            .Select(Path.GetFileName)
            .Where(n => n!.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => new object[] { n! });

    public static string BuildRoot(string caseName)
    {
        var dir = Path.Combine(FixtureRoot, caseName);
        var marker = Path.Combine(dir, "build-root.txt");
        return File.Exists(marker) ? Path.Combine(dir, File.ReadAllText(marker).Trim()) : dir;
    }

    public static async Task AssertSameAsKubectlAsync(string caseName)
    {
        var root = Path.Combine(FixtureRoot, caseName);
        var build = BuildRoot(caseName);
        // A fixture holding a "load-restrictions-none" file is built as with --load-restrictor LoadRestrictionsNone.
        var unrestricted = File.Exists(Path.Combine(root, "load-restrictions-none"));
        var expected = RunKubectl(build, unrestricted);
        var options = unrestricted ? RenderOptions.Default with { Kustomize = new KustomizeOptions(LoadRestrictionsNone: true) } : RenderOptions.Default;
        var result = await new KustomizeRenderer().RenderAsync(
            new RenderRequest(root, Path.GetRelativePath(root, build), options), CancellationToken.None);
        var actual = ManifestYaml.Write(result.Manifests);
        AssertSameObjects(expected, actual);
    }

    public static void AssertSameObjects(string expectedYaml, string actualYaml)
    {
        var expected = Index(expectedYaml);
        var actual = Index(actualYaml);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, obj) in expected)
        {
            var mine = actual[key];
            Assert.True(JsonNode.DeepEquals(obj, mine),
                $"{key} differs\n--- kubectl kustomize\n{ManifestYaml.WriteNode(obj)}\n--- ours\n{ManifestYaml.WriteNode(mine)}");
        }
    }

    private static Dictionary<string, JsonNode?> Index(string yaml)
    {
        var result = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var doc in ManifestYaml.Parse(yaml, schema: YamlSchema.Kubernetes).Where(d => d.Root is not null))
        {
            var o = doc.Root!;
            var key = $"{o["apiVersion"]}/{o["kind"]} {o["metadata"]?["namespace"]}/{o["metadata"]?["name"]}";
            Assert.False(result.ContainsKey(key), $"duplicate object {key}");
            result[key] = Normalize(o);
        }

        return result;
    }

    /// <summary>Numbers compare by value (1.0 == 1).</summary>
    private static JsonNode? Normalize(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Normalize(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Normalize)]),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number && v.TryGetValue<double>(out var d) => JsonValue.Create(d),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => JsonValue.Create(double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)),
        _ => node?.DeepClone(),
    };

    private static string RunKubectl(string directory, bool unrestricted)
    {
        var psi = new ProcessStartInfo("kubectl", unrestricted
            ? ["kustomize", "--load-restrictor", "LoadRestrictionsNone", directory]
            : ["kustomize", directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("kubectl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"kubectl kustomize failed on the fixture: {stderr}");
        return stdout.Result;
    }
}
