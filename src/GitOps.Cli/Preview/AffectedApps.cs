using GitOps.Applications;
using GitOps.Source;

namespace GitOps.Cli.Preview;

/// <summary>
/// Whether an app's render can change between two commits, from the paths that changed. Only sure answers skip
/// a render: a plain directory reads nothing outside its path, a Helm chart nothing outside its path and value
/// files unless it names a local dependency. A kustomization can reach anywhere in the repository (bases,
/// components, patches), so it is rendered whenever anything changed — rendering is in-process and cheap, and an
/// unchanged render is reported as unchanged.
/// </summary>
internal static class AffectedApps
{
    private static readonly string[] KustomizationFiles = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    public static bool MayChange(Application app, ChangedDirectories changed, IEnumerable<string> snapshotRoots)
    {
        if (changed.IsEmpty)
        {
            return false;
        }

        var path = Normalize(app.Spec.Source.Path);
        var reads = new List<string> { path };
        foreach (var root in snapshotRoots)
        {
            var dir = Path.Combine(root, path);
            if (KustomizationFiles.Any(f => File.Exists(Path.Combine(dir, f))))
            {
                return true;
            }

            if (File.Exists(Path.Combine(dir, "Chart.yaml")))
            {
                if (NamesLocalDependency(dir))
                {
                    return true;
                }

                foreach (var valueFile in app.Spec.Source.Helm?.ValueFiles ?? [])
                {
                    reads.Add(Normalize(Path.Combine(path, valueFile)));
                }
            }
        }

        return reads.Any(p => p.StartsWith("../", StringComparison.Ordinal) || p == "..")
               || reads.Any(changed.Affects);
    }

    // A `file://` dependency (Chart.yaml, or requirements.yaml of apiVersion v1 charts) may live outside the chart.
    private static bool NamesLocalDependency(string chartDirectory) =>
        new[] { "Chart.yaml", "requirements.yaml" }.Select(f => Path.Combine(chartDirectory, f))
            .Any(f => File.Exists(f) && File.ReadAllText(f).Contains("file://", StringComparison.Ordinal));

    /// <summary>Repository-relative with '/', "." and ".." segments folded (a leading ".." stays).</summary>
    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var segment in path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else
                {
                    parts.Add(segment);
                }
            }
            else if (segment != ".")
            {
                parts.Add(segment);
            }
        }

        return parts.Count == 0 ? "." : string.Join('/', parts);
    }
}
