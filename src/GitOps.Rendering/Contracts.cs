using System.Text.Json.Nodes;

namespace GitOps.Rendering;

/// <summary>What to render: an application's path inside a checked-out repository.</summary>
/// <param name="RepositoryRoot">The checkout the render may read from; nothing outside it is ever read.</param>
/// <param name="Path">The application's directory, relative to <paramref name="RepositoryRoot"/>.</param>
public sealed record RenderRequest(string RepositoryRoot, string Path, RenderOptions Options)
{
    /// <summary>Renders a local directory (the offline `gitops render PATH`). The boundary is the enclosing git
    /// work tree (so overlays may use `../base`), else the current directory when PATH is inside it, else PATH.</summary>
    public static RenderRequest ForDirectory(string directory, RenderOptions? options = null)
    {
        var full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(directory));
        var root = FindBoundary(full);
        return new RenderRequest(root, System.IO.Path.GetRelativePath(root, full), options ?? RenderOptions.Default);
    }

    private static string FindBoundary(string full)
    {
        for (var dir = full; dir is not null; dir = System.IO.Path.GetDirectoryName(dir))
        {
            if (System.IO.Directory.Exists(System.IO.Path.Combine(dir, ".git")) || System.IO.File.Exists(System.IO.Path.Combine(dir, ".git")))
            {
                return dir;
            }
        }

        var cwd = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Directory.GetCurrentDirectory());
        return full == cwd || full.StartsWith(cwd + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal) ? cwd : full;
    }
}

/// <summary>Per-application source options, as in the Application spec (`source.directory|kustomize|helm`).</summary>
public sealed record RenderOptions(
    DirectoryOptions? Directory = null,
    KustomizeOptions? Kustomize = null,
    HelmOptions? Helm = null)
{
    public static RenderOptions Default { get; } = new();
}

/// <summary>Plain directories, as Argo CD's `directory` source.</summary>
public sealed record DirectoryOptions(bool Recurse = false, string? Include = null, string? Exclude = null);

/// <summary>Overrides applied on top of a kustomization (as Argo CD's `kustomize` source).</summary>
public sealed record KustomizeOptions(
    string? NamePrefix = null,
    string? NameSuffix = null,
    string? Namespace = null,
    IReadOnlyList<string>? Images = null,
    IReadOnlyDictionary<string, string>? CommonLabels = null,
    bool AllowRemoteBases = false,
    bool LoadRestrictionsNone = false);

/// <summary>`helm template` inputs.</summary>
public sealed record HelmOptions(
    IReadOnlyList<string>? ValueFiles = null,
    string? Values = null,
    IReadOnlyList<string>? Set = null,
    IReadOnlyList<string>? SetString = null,
    string? ReleaseName = null,
    string? Namespace = null,
    bool SkipCrds = false)
{
    /// <summary>Charts for Chart.yaml dependencies that charts/ does not hold, as `helm dependency build` would put
    /// them there: verified .tgz archives from the source stage's chart cache (remote repositories, registries) or
    /// chart directories inside the repository (<c>file://</c>). Dependencies charts/ already holds win.</summary>
    public IReadOnlyList<string> DependencyCharts { get; init; } = [];

    /// <summary>Roots of other repositories a value file may name as <c>$NAME/path</c> (Argo CD's multiple sources:
    /// values from git with a chart from a repository); such a file is read only inside that root.</summary>
    public IReadOnlyDictionary<string, string> ValueRoots { get; init; } = new Dictionary<string, string>();
}

/// <summary>One rendered Kubernetes object and where it came from.</summary>
/// <param name="Object">The object as JSON (the currency of diff and apply).</param>
/// <param name="Source">The file (relative to the render root) the object came from, for error messages.</param>
public sealed record Manifest(JsonObject Object, string? Source = null)
{
    public string ApiVersion => (string?)Object["apiVersion"] ?? "";
    public string Kind => (string?)Object["kind"] ?? "";
    public string Name => (string?)Object["metadata"]?["name"] ?? "";
    public string? Namespace => (string?)Object["metadata"]?["namespace"];
}

/// <summary>The output of a render: the objects in output order.</summary>
public sealed record RenderResult(IReadOnlyList<Manifest> Manifests, string RendererName);

/// <summary>One kind of renderer (plain, kustomize, helm).</summary>
public interface IManifestRenderer
{
    string Name { get; }

    /// <summary>True when this renderer owns the directory (e.g. it holds a kustomization.yaml).</summary>
    bool CanRender(string directory);

    Task<RenderResult> RenderAsync(RenderRequest request, CancellationToken cancellationToken);
}

/// <summary>The seam Kustomize's `helmCharts` uses to inflate a chart with our Helm renderer.</summary>
public interface IHelmChartInflater
{
    Task<IReadOnlyList<Manifest>> InflateAsync(string repositoryRoot, string chartDirectory, HelmOptions options,
        CancellationToken cancellationToken);
}

/// <summary>A render failed; the message names the file and, where known, line and column.</summary>
public sealed class RenderException(string message, string? file = null, int? line = null, int? column = null,
    Exception? inner = null) : Exception(Format(message, file, line, column), inner)
{
    public string? File { get; } = file;
    public int? Line { get; } = line;
    public int? Column { get; } = column;

    private static string Format(string message, string? file, int? line, int? column) =>
        file is null ? message
        : line is null ? $"{file}: {message}"
        : column is null ? $"{file}:{line}: {message}"
        : $"{file}:{line}:{column}: {message}";
}
