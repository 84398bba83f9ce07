using System.CommandLine;
using GitOps.Rendering;
using GitOps.Rendering.Helm;
using GitOps.Rendering.Kustomize;
using GitOps.Rendering.Plain;
using GitOps.Rendering.Yaml;

namespace GitOps.Cli.Commands;

/// <summary>The offline commands: `render PATH` and `render-template FILE`.</summary>
internal static class RenderCommands
{
    public static Command Render()
    {
        var path = new Argument<string>("PATH")
        {
            Description = "A plain manifest directory, a kustomization or a Helm chart; with --repo, a chart name; or oci://HOST/PATH/CHART",
        };
        var repo = new Option<string?>("--repo") { Description = "Helm: chart repository URL; PATH is then the chart's name (as helm template --repo)" };
        var version = new Option<string?>("--version") { Description = "Helm: chart version or semver range for --repo / oci:// (default: the latest stable)" };
        var credentials = new Option<string?>("--credentials")
        {
            Description = "Credentials file for the chart repository (git-credential-store lines, with bearer=, ca=, insecure-skip-tls-verify options; docs/chart-sources.md)",
        };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Where chart indexes and archives are cached (default: ~/.cache/gitops)" };
        var recurse = new Option<bool>("--recurse") { Description = "Plain directories: include subdirectories" };
        var include = new Option<string?>("--include") { Description = "Plain directories: glob of files to include, e.g. '{*.yaml,*.yml}'" };
        var exclude = new Option<string?>("--exclude") { Description = "Plain directories: glob of files to exclude" };
        var values = new Option<string[]>("--values", "-f") { Description = "Helm: values file (repeatable, later wins)", AllowMultipleArgumentsPerToken = false };
        var set = new Option<string[]>("--set") { Description = "Helm: set a value, e.g. image.tag=1.2 (repeatable)" };
        var setString = new Option<string[]>("--set-string") { Description = "Helm: set a STRING value (repeatable)" };
        var releaseName = new Option<string?>("--release-name") { Description = "Helm: release name (default: release-name)" };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Helm: release namespace" };
        var enableRemote = new Option<bool>("--allow-remote-bases") { Description = "Kustomize: allow remote (URL) bases" };
        var loadRestrictor = new Option<string>("--load-restrictor")
        {
            Description = "Kustomize: LoadRestrictionsRootOnly (default: files only from inside the kustomization's directory) " +
                "or LoadRestrictionsNone (files from anywhere in the repository; never outside it)",
            DefaultValueFactory = _ => "LoadRestrictionsRootOnly",
        };
        loadRestrictor.AcceptOnlyFromAmong("LoadRestrictionsRootOnly", "LoadRestrictionsNone");
        var kubeVersion = new Option<string?>("--kube-version") { Description = "Helm: Kubernetes version for .Capabilities (default v1.20.0)" };
        var apiVersions = new Option<string[]>("--api-versions", "-a") { Description = "Helm: extra API versions for .Capabilities (repeatable)" };
        var includeCrds = new Option<bool>("--include-crds") { Description = "Helm: include crds/ (off by default, as in helm template; the controller includes them, as Argo CD does)" };
        var skipCrds = new Option<bool>("--skip-crds") { Description = "Helm: leave out crds/ (the default)" };
        var noHooks = new Option<bool>("--no-hooks") { Description = "Helm: leave out hooks" };
        var outputDir = new Option<string?>("--output-dir") { Description = "Helm: write each template's output to a file under this directory instead of stdout" };
        var helmVersion = new Option<string?>("--helm-version")
        {
            Description = "Helm: the helm release to match byte for byte: 3 (default), 4 (webhook configurations " +
                "sort last) or 4.2 (also: documents keep their trailing newlines)",
        };
        var createNamespace = new Option<bool>("--create-namespace") { Description = "Helm: accepted for compatibility; helm template prints no Namespace for it either" };
        var skipTests = new Option<bool>("--skip-tests") { Description = "Helm: leave out test hooks" };
        var showOnly = new Option<string[]>("--show-only", "-s") { Description = "Helm: only templates matching this glob (repeatable)" };
        var nameTemplate = new Option<string?>("--name-template") { Description = "Helm: template for the release name" };

        var command = new Command("render", "Render manifests offline and print them as multi-document YAML.\n\n" +
            "Examples:\n  gitops render examples/echo-ip/overlays/dev\n  gitops render examples/chart -f values-prod.yaml --set image.tag=1.2")
        {
            path, recurse, include, exclude, values, set, setString, releaseName, ns, enableRemote, loadRestrictor,
            kubeVersion, apiVersions, includeCrds, skipCrds, skipTests, showOnly, nameTemplate, noHooks, outputDir, createNamespace, helmVersion,
            repo, version, credentials, cacheDir,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new RenderOptions(
                new DirectoryOptions(parse.GetValue(recurse), parse.GetValue(include), parse.GetValue(exclude)),
                new KustomizeOptions(AllowRemoteBases: parse.GetValue(enableRemote),
                    LoadRestrictionsNone: parse.GetValue(loadRestrictor) == "LoadRestrictionsNone"),
                new HelmOptions(
                    ValueFiles: parse.GetValue(values) ?? [],
                    Set: parse.GetValue(set) ?? [],
                    SetString: parse.GetValue(setString) ?? [],
                    ReleaseName: parse.GetValue(releaseName),
                    Namespace: parse.GetValue(ns),
                    SkipCrds: parse.GetValue(skipCrds)));
            var helm = new HelmRenderer();
            using var remote = await RemoteChart.FetchAsync(parse.GetValue(path)!, parse.GetValue(repo), parse.GetValue(version),
                parse.GetValue(credentials), parse.GetValue(cacheDir), ct);
            var dir = remote?.Root ?? Path.GetFullPath(parse.GetValue(path)!);
            if (remote is not null || helm.CanRender(dir))
            {
                // Charts take the `helm template` flags that have no place in the Application-level options, and
                // print exactly what `helm template` prints. Value files are the user's: relative to the working
                // directory, read wherever they are, as helm does.
                // Symlinks in the chart may lead anywhere inside the same boundary as other renders (the git work tree).
                var root = remote is null ? RenderRequest.ForDirectory(dir).RepositoryRoot : dir;
                var chart = await helm.TemplateAsync(root, dir, options.Helm!, new HelmTemplateOptions(
                    KubeVersion: parse.GetValue(kubeVersion),
                    ApiVersions: parse.GetValue(apiVersions),
                    IncludeCrds: parse.GetValue(includeCrds) && !parse.GetValue(skipCrds),
                    SkipTests: parse.GetValue(skipTests),
                    ShowOnly: parse.GetValue(showOnly),
                    NameTemplate: parse.GetValue(nameTemplate),
                    NoHooks: parse.GetValue(noHooks),
                    ValuesBaseDirectory: Directory.GetCurrentDirectory(),
                    Compatibility: Compatibility(parse.GetValue(helmVersion))), ct);
                if (parse.GetValue(outputDir) is { } output) await WriteOutputDirAsync(output, chart.Documents, ct);
                else await Console.Out.WriteAsync(chart.Text);
                return ExitCodes.Ok;
            }
            var renderer = new ManifestRenderer([new KustomizeRenderer(helm), helm, new PlainRenderer()]);
            var result = await renderer.RenderAsync(RenderRequest.ForDirectory(parse.GetValue(path)!, options), ct);
            await Console.Out.WriteAsync(ManifestYaml.Write(result.Manifests));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static HelmCompatibility Compatibility(string? helmVersion)
    {
        if (helmVersion is null) return HelmCompatibility.Helm3;
        var parts = helmVersion.TrimStart('v').Split('.');
        if (!int.TryParse(parts[0], out var major) || (parts.Length > 1 && !int.TryParse(parts[1], out _)))
            throw new RenderException($"--helm-version: '{helmVersion}' is not a version like 3, 4.1 or 4.2");
        var minor = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
        return (major, minor) switch
        {
            ( < 4, _) => HelmCompatibility.Helm3,
            (4, < 2) => HelmCompatibility.Helm4,
            _ => HelmCompatibility.Helm42,
        };
    }

    /// <summary>`helm template --output-dir`: each entry appended to OUT/SOURCE; CRD files start fresh once per run,
    /// templates and hooks append to a file that already exists (even from an earlier run), as Helm does.</summary>
    private static async Task WriteOutputDirAsync(string outputDir, IReadOnlyList<HelmTemplateDocument> documents, CancellationToken ct)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in documents)
        {
            var file = outputDir + Path.DirectorySeparatorChar + d.Source;
            var append = d.Kind == HelmTemplateDocumentKind.Crd ? written.Contains(file) : File.Exists(file);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            var text = $"---\n# Source: {d.Source}\n{d.Body}\n";
            if (append) await File.AppendAllTextAsync(file, text, ct);
            else await File.WriteAllTextAsync(file, text, ct);
            written.Add(file);
            await Console.Out.WriteLineAsync($"wrote {file}");
        }
    }

    public static Command RenderTemplate()
    {
        var file = new Argument<string>("FILE") { Description = "A Go template file" };
        var data = new Option<string?>("--data") { Description = "JSON or YAML file used as the root context '.'" };
        var command = new Command("render-template", "Evaluate one Go template with the Sprig/Helm functions and print the text.\n\n" +
            "Example:\n  gitops render-template snippet.tpl --data values.yaml")
        {
            file, data,
        };
        command.SetAction(parse =>
        {
            Console.Out.Write(TemplateTool.Render(parse.GetValue(file)!, parse.GetValue(data)));
            return ExitCodes.Ok;
        });
        return command;
    }
}
