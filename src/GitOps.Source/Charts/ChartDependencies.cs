using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GitOps.Source.Charts;

/// <summary>
/// `helm dependency build` for the source stage: the Chart.yaml dependencies (requirements.yaml for apiVersion v1)
/// that charts/ does not hold, fetched as Helm would put them there — <c>https://</c> repositories and <c>oci://</c>
/// registries through <see cref="IChartSource"/> (verified, cached archives), <c>file://</c> as chart directories that
/// must stay inside the repository. Chart.lock (requirements.lock) pins each dependency's version when it lists it.
/// The renderer adds what this returns as subcharts, so conditions, tags, aliases and import-values apply as to
/// vendored ones.
/// </summary>
public static class ChartDependencies
{
    /// <returns>Archive paths and chart directories to add, in Chart.yaml's order; empty when nothing is missing.</returns>
    public static async Task<IReadOnlyList<string>> BuildAsync(string repositoryRoot, string chartDirectory, IChartSource charts,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charts);
        var root = Path.GetFullPath(repositoryRoot);
        var dir = Path.GetFullPath(chartDirectory);
        var chartFile = Path.Combine(dir, "Chart.yaml");
        if (!File.Exists(chartFile))
        {
            return [];
        }

        var chart = Read(chartFile, root);
        var v1 = Scalar(chart, "apiVersion") == "v1";
        var declared = v1 ? Read(Path.Combine(dir, "requirements.yaml"), root) : chart;
        var dependencies = Sequence(declared, "dependencies");
        if (dependencies.Count == 0)
        {
            return [];
        }

        var locked = Sequence(Read(Path.Combine(dir, v1 ? "requirements.lock" : "Chart.lock"), root), "dependencies");
        var result = new List<string>();
        foreach (var dependency in dependencies)
        {
            var name = Scalar(dependency, "name") ?? "";
            var repository = (Scalar(dependency, "repository") ?? "").Trim();
            var where = $"{Path.GetRelativePath(root, chartFile)}: dependency '{name}'";
            if (name.Length == 0 || repository.Length == 0 || Vendored(dir, name))
            {
                continue; // a dependency without a repository must be in charts/; the renderer reports it otherwise
            }

            if (repository.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
            {
                var local = Path.GetFullPath(Path.Combine(dir, repository["file://".Length..]));
                if (!(local + "/").StartsWith(root + "/", StringComparison.Ordinal))
                {
                    throw new GitSourceException(GitSourceErrorKind.UnsafeContent, $"{where}: {repository} leaves the repository");
                }

                result.Add(local);
                continue;
            }

            if (!repository.Contains("://", StringComparison.Ordinal))
            {
                throw new GitSourceException(GitSourceErrorKind.InvalidUrl,
                    $"{where}: repository '{repository}' names a helm repo alias; give its URL (https://… or oci://…)");
            }

            var pinned = locked.FirstOrDefault(l => Scalar(l, "name") == name && Scalar(l, "repository") == repository);
            var version = (pinned is null ? null : Scalar(pinned, "version")) ?? Scalar(dependency, "version") ?? "";
            try
            {
                var resolved = await charts.ResolveAsync(repository, name, version, cancellationToken).ConfigureAwait(false);
                result.Add(await charts.GetArchiveAsync(resolved, cancellationToken).ConfigureAwait(false));
            }
            catch (GitSourceException e)
            {
                throw new GitSourceException(e.Kind, $"{where}: {e.Message}", e);
            }
        }

        return result;
    }

    /// <summary>charts/NAME/ or charts/NAME-VERSION.tgz already there (Helm's dependency build leaves those).</summary>
    private static bool Vendored(string dir, string name)
    {
        var charts = Path.Combine(dir, "charts");
        return Directory.Exists(charts) &&
               (File.Exists(Path.Combine(charts, name, "Chart.yaml")) ||
                Directory.EnumerateFiles(charts, name + "-*.tgz").Any(f => Path.GetFileName(f).Length > name.Length + 1 &&
                                                                           char.IsAsciiDigit(Path.GetFileName(f)[name.Length + 1])));
    }

    private static YamlMappingNode? Read(string file, string root)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(file);
            stream.Load(reader);
            return stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode;
        }
        catch (YamlException e)
        {
            throw new GitSourceException(GitSourceErrorKind.InvalidContent,
                $"{Path.GetRelativePath(root, file)}:{e.Start.Line}:{e.Start.Column}: {e.Message}", e);
        }
    }

    private static string? Scalar(YamlMappingNode? map, string key) =>
        map is not null && map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode s ? s.Value : null;

    private static List<YamlMappingNode> Sequence(YamlMappingNode? map, string key) =>
        map is not null && map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlSequenceNode seq
            ? [.. seq.Children.OfType<YamlMappingNode>()]
            : [];
}
