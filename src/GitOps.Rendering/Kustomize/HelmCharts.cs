using System.Text.Json.Nodes;
using GitOps.Rendering.Yaml;

namespace GitOps.Rendering.Kustomize;

/// <summary>kustomize's `helmCharts` field, inflated by our own Helm renderer from a chart already in the
/// repository (helmGlobals.chartHome, default `charts/`); pulling charts from repositories is refused.</summary>
internal static class HelmCharts
{
    public static async Task<List<Resource>> InflateAsync(Loader loader, IHelmChartInflater? helm, string repositoryRoot,
        string directory, string file, JsonObject k, CancellationToken ct)
    {
        var display = loader.FileSystem.Display(file);
        if (helm is null)
        {
            throw new RenderException("helmCharts needs the Helm renderer, which is not configured", display);
        }

        var chartHome = Scalars.Str(k["helmGlobals"]?["chartHome"]) ?? "charts";
        var result = new List<Resource>();
        foreach (var chart in (k["helmCharts"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = Scalars.Str(chart["name"]) ?? throw new RenderException("helmCharts entry has no name", display);
            var version = Scalars.Str(chart["version"]);
            var candidates = new List<string> { Path.Combine(chartHome, name) };
            if (version is not null)
            {
                candidates.Insert(0, Path.Combine(chartHome, $"{name}-{version}", name));
            }

            var chartDir = candidates.Select(c => loader.FileSystem.Resolve(directory, c, display)).FirstOrDefault(Directory.Exists)
                ?? throw new RenderException($"chart '{name}' not found under '{chartHome}' (pulling charts from '{Scalars.Str(chart["repo"]) ?? "a repository"}' is not supported)", display);
            var valueFiles = new List<string>();
            if (Scalars.Str(chart["valuesFile"]) is { } vf)
            {
                valueFiles.Add(loader.ResolveFile(directory, vf, file));
            }

            valueFiles.AddRange(Scalars.Strings(chart["additionalValuesFiles"]).Select(f => loader.ResolveFile(directory, f, file)));
            var inline = chart["valuesInline"] is JsonObject values ? ManifestYaml.WriteNode(values) : null;
            var options = new HelmOptions(
                ValueFiles: valueFiles,
                Values: inline,
                ReleaseName: Scalars.Str(chart["releaseName"]),
                Namespace: Scalars.Str(chart["namespace"]),
                SkipCrds: !Scalars.Bool(chart["includeCRDs"]));
            var manifests = await helm.InflateAsync(repositoryRoot, chartDir, options, ct).ConfigureAwait(false);
            result.AddRange(manifests.Select(m => new Resource((JsonObject)m.Object.DeepClone(), m.Source ?? display)));
        }

        return result;
    }
}
