using System.Text.Json.Nodes;
using GitOps.Rendering.IO;
using GitOps.Rendering.Yaml;

namespace GitOps.Rendering.Kustomize;

/// <summary>Finds, reads and checks kustomization files and the files they name, inside the boundary only
/// (files: inside the kustomization's own directory, as kustomize's root-only load restrictor, or anywhere in
/// the repository with LoadRestrictionsNone; bases: inside the repository).</summary>
internal sealed class Loader(SafeFileSystem fs, bool allowRemote, bool rootOnly = true)
{
    public static readonly string[] FileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    public SafeFileSystem FileSystem => fs;

    public static string? FindKustomization(string directory)
    {
        var found = FileNames.Select(n => Path.Combine(directory, n)).Where(File.Exists).ToList();
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new RenderException($"found multiple kustomization files in '{directory}'"),
        };
    }

    public async Task<(JsonObject Kustomization, string File)> LoadKustomizationAsync(string directory, CancellationToken ct)
    {
        var file = FindKustomization(directory)
            ?? throw new RenderException($"unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{fs.Display(directory)}'");
        var display = fs.Display(file);
        var text = await fs.ReadTextAsync(fs.Resolve(directory, Path.GetFileName(file), display), display, ct).ConfigureAwait(false);
        var docs = ManifestYaml.Parse(text, display, YamlSchema.Kustomize);
        var root = docs.FirstOrDefault(d => d.Root is not null)?.Root;
        if (root is null)
        {
            return ([], file);
        }

        if (root is not JsonObject k)
        {
            throw new RenderException("kustomization is not a mapping", display);
        }

        var kind = (string?)k["kind"];
        if (kind is not null and not "Kustomization" and not "Component")
        {
            throw new RenderException($"kind '{kind}' is not Kustomization or Component", display);
        }

        CanonicalKeys(k);
        return (k, file);
    }

    private static readonly string[] KnownFields =
    [
        "apiVersion", "kind", "metadata", "resources", "bases", "components", "configurations", "crds", "generators",
        "transformers", "validators", "namespace", "namePrefix", "nameSuffix", "commonLabels", "labels",
        "commonAnnotations", "patches", "patchesStrategicMerge", "patchesJson6902", "images", "replicas",
        "replacements", "vars", "configMapGenerator", "secretGenerator", "generatorOptions", "helmCharts",
        "helmGlobals", "helmChartInflationGenerator", "buildMetadata", "sortOptions", "openapi",
    ];

    /// <summary>kustomize reads kustomization.yaml through Go's encoding/json, whose field names match without
    /// regard to case (`nameprefix:` is `namePrefix:`).</summary>
    private static void CanonicalKeys(JsonObject k)
    {
        foreach (var key in k.Select(p => p.Key).ToList())
        {
            var canonical = Array.Find(KnownFields, f => string.Equals(f, key, StringComparison.OrdinalIgnoreCase));
            if (canonical is not null && canonical != key && !k.ContainsKey(canonical))
            {
                var value = k[key];
                k.Remove(key);
                k[canonical] = value;
            }
        }
    }

    public static bool IsRemote(string reference) =>
        reference.Contains("://", StringComparison.Ordinal) || reference.StartsWith("git@", StringComparison.Ordinal)
        || reference.StartsWith("github.com/", StringComparison.Ordinal) || reference.StartsWith("gitlab.com/", StringComparison.Ordinal)
        || reference.StartsWith("bitbucket.org/", StringComparison.Ordinal);

    public void RefuseRemote(string reference, string kustomizationFile)
    {
        if (IsRemote(reference))
        {
            throw new RenderException(allowRemote
                ? $"remote resource '{reference}' cannot be fetched by the offline renderer"
                : $"remote resource '{reference}' is not allowed (remote bases are disabled)", fs.Display(kustomizationFile));
        }
    }

    /// <summary>A file named by a kustomization: must stay inside that kustomization's directory.</summary>
    public string ResolveFile(string directory, string reference, string kustomizationFile)
    {
        RefuseRemote(reference, kustomizationFile);
        var display = fs.Display(kustomizationFile);
        var real = fs.Resolve(directory, reference, display);
        var realDir = SafeFileSystem.RealPath(directory);
        if (rootOnly && !SafeFileSystem.IsInside(realDir, real))
        {
            throw new RenderException($"security; file '{reference}' is not in or below '{fs.Display(realDir)}'", display);
        }

        return real;
    }

    /// <summary>A resource entry: a directory (a base, anywhere in the repository) or a file (inside the root).</summary>
    public (string Path, bool IsDirectory) ResolveResource(string directory, string reference, string kustomizationFile)
    {
        RefuseRemote(reference, kustomizationFile);
        var display = fs.Display(kustomizationFile);
        var real = fs.Resolve(directory, reference, display);
        if (Directory.Exists(real))
        {
            return (real, true);
        }

        if (!File.Exists(real))
        {
            throw new RenderException($"accumulating resources: '{reference}' does not exist", display);
        }

        return (ResolveFile(directory, reference, kustomizationFile), false);
    }

    public async Task<string> ReadTextAsync(string realPath, CancellationToken ct) =>
        await fs.ReadTextAsync(realPath, fs.Display(realPath), ct).ConfigureAwait(false);

    public async Task<byte[]> ReadBytesAsync(string realPath, CancellationToken ct) =>
        await fs.ReadBytesAsync(realPath, fs.Display(realPath), ct).ConfigureAwait(false);

    public async Task<List<Resource>> ReadResourcesAsync(string realPath, CancellationToken ct)
    {
        var display = fs.Display(realPath);
        var text = await ReadTextAsync(realPath, ct).ConfigureAwait(false);
        return ParseResources(text, display);
    }

    public static List<Resource> ParseResources(string text, string display)
    {
        var list = new List<Resource>();
        foreach (var m in ManifestYaml.ParseManifests(text, display, YamlSchema.Kustomize, apiVersionOptional: true))
        {
            AnnotationsAsStrings(m.Object);
            list.Add(new Resource(m.Object, display));
        }

        return list;
    }

    /// <summary>kustomize rewrites metadata.annotations as strings, keeping the source text of each value (on load,
    /// and again after vars put a number into one).</summary>
    internal static void AnnotationsAsStrings(JsonObject obj)
    {
        if (obj["metadata"]?["annotations"] is JsonObject annotations)
        {
            foreach (var (key, value) in annotations.ToList())
            {
                if (value is JsonValue v && v.GetValueKind() != System.Text.Json.JsonValueKind.String)
                {
                    annotations[key] = Scalars.ToText(v);
                }
                else if (value is null)
                {
                    annotations[key] = "";
                }
            }
        }
    }
}

/// <summary>Text of scalar values, as kustomize prints them into strings.</summary>
internal static class Scalars
{
    public static string ToText(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.True => "true",
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.False => "false",
        JsonValue v when v.TryGetValue<double>(out var d) => YamlScalars.FormatDouble(d),
        JsonValue v => v.ToJsonString(),
        _ => node.ToJsonString(),
    };

    public static string? Str(JsonNode? node) => node is JsonValue v ? ToText(v) : null;

    public static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonArray a => a.Select(ToText),
        JsonValue v => [ToText(v)],
        _ => [],
    };

    public static int Int(JsonNode? node) =>
        node is JsonValue v && long.TryParse(ToText(v), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var l) ? (int)l : 0;

    public static bool Bool(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}
