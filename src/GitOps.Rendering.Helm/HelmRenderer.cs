using System.Collections.Frozen;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Primitives;
using GitOps.Rendering.Helm.Chart;
using GitOps.Templating;
using GitOps.Templating.Functions;
using GitOps.Templating.Serialization;

namespace GitOps.Rendering.Helm;

/// <summary>`helm template` flags beyond the Application-level <see cref="HelmOptions"/>.</summary>
/// <param name="KubeVersion">.Capabilities.KubeVersion (default v1.20.0).</param>
/// <param name="ApiVersions">Extra .Capabilities.APIVersions entries.</param>
/// <param name="IncludeCrds">Emit crds/ files (default true; <see cref="HelmOptions.SkipCrds"/> turns it off).</param>
/// <param name="SkipTests">Drop test hooks.</param>
/// <param name="ShowOnly">Only templates matching these globs (relative to the chart, e.g. templates/service.yaml).</param>
/// <param name="NameTemplate">A template for the release name (evaluated with the function library).</param>
/// <param name="NoHooks">Leave hooks out (`helm template --no-hooks`).</param>
/// <param name="Compatibility">The Helm release to match (default Helm 3).</param>
/// <param name="HooksAsSyncPhases">Objects (not the text) carry Helm hooks as the engine's hook marks, and hooks with no
/// sync phase (tests, delete, rollback) are left out: what an Application syncs.</param>
/// <param name="ValuesBaseDirectory">When set (the CLI: the user's working directory), value files resolve against it
/// and are read wherever they are, as helm does; when null (an Application), they resolve against the chart directory
/// and must stay inside the repository.</param>
public sealed record HelmTemplateOptions(
    string? KubeVersion = null,
    IReadOnlyList<string>? ApiVersions = null,
    bool? IncludeCrds = null,
    bool SkipTests = false,
    IReadOnlyList<string>? ShowOnly = null,
    string? NameTemplate = null,
    bool NoHooks = false,
    string? ValuesBaseDirectory = null,
    HelmCompatibility Compatibility = HelmCompatibility.Helm3,
    bool HooksAsSyncPhases = false);

/// <summary>The Helm release whose `helm template` output is matched byte for byte; the releases differ in kind
/// order and document splitting.</summary>
public enum HelmCompatibility
{
    /// <summary>Helm 3.x: webhook configurations are kinds Helm does not order; documents are trimmed.</summary>
    Helm3,
    /// <summary>Helm 4.0 and 4.1: Mutating/ValidatingWebhookConfiguration install last of the known kinds.</summary>
    Helm4,
    /// <summary>Helm 4.2 and later: also, documents keep their trailing whitespace (a blank line before "---").</summary>
    Helm42,
}

public enum HelmTemplateDocumentKind
{
    Crd,
    Manifest,
    Hook,
}

/// <summary>One entry `helm template` prints as "---\n# Source: SOURCE\nBODY\n" (a CRD file is one entry, whole).</summary>
public sealed record HelmTemplateDocument(string Source, string Body, HelmTemplateDocumentKind Kind);

/// <summary>The result of one chart render: objects for diff/apply, the text `helm template` prints and its entries
/// (what `--output-dir` writes, file by file).</summary>
public sealed record HelmTemplateOutput(IReadOnlyList<Manifest> Manifests, string Text, IReadOnlyList<HelmTemplateDocument> Documents);

/// <summary>Helm charts, rendered in-process as `helm template` does (no helm binary).</summary>
public sealed class HelmRenderer : IManifestRenderer, IHelmChartInflater
{
    private readonly FrozenDictionary<string, GoFunction> _functions = FunctionLibrary.Create();
    private readonly ExecutionLimits _limits;

    public HelmRenderer() : this(null) { }

    /// <param name="timeout">Wall-clock bound for each template (default 30 s).</param>
    /// <param name="maxOutputBytes">Bound on each template's output (default 64 MiB).</param>
    public HelmRenderer(TimeSpan? timeout, int maxOutputBytes = 64 * 1024 * 1024) =>
        _limits = new ExecutionLimits(MaxOutputChars: maxOutputBytes, Timeout: timeout ?? TimeSpan.FromSeconds(30));

    public string Name => "helm";

    public bool CanRender(string directory) => File.Exists(Path.Combine(directory, "Chart.yaml"));

    public async Task<RenderResult> RenderAsync(RenderRequest request, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(request.RepositoryRoot);
        var dir = Path.GetFullPath(Path.Combine(root, request.Path));
        var output = await TemplateAsync(root, dir, request.Options.Helm ?? new HelmOptions(), new HelmTemplateOptions(HooksAsSyncPhases: true),
            cancellationToken).ConfigureAwait(false);
        return new RenderResult(output.Manifests, Name);
    }

    public async Task<IReadOnlyList<Manifest>> InflateAsync(string repositoryRoot, string chartDirectory, HelmOptions options,
        CancellationToken cancellationToken) =>
        (await TemplateAsync(repositoryRoot, chartDirectory, options, null, cancellationToken).ConfigureAwait(false)).Manifests;

    /// <summary>Renders the chart in <paramref name="chartDirectory"/> (inside <paramref name="repositoryRoot"/>).</summary>
    /// <exception cref="RenderException">The chart, its values or a template is invalid, or a limit was hit.</exception>
    public async Task<HelmTemplateOutput> TemplateAsync(string repositoryRoot, string chartDirectory, HelmOptions options,
        HelmTemplateOptions? template, CancellationToken cancellationToken)
    {
        template ??= new HelmTemplateOptions();
        var root = Path.GetFullPath(repositoryRoot);
        var dir = Path.GetFullPath(Path.Combine(root, chartDirectory));
        var user = await UserValuesAsync(root, dir, options, template.ValuesBaseDirectory, cancellationToken).ConfigureAwait(false);
        var releaseName = options.ReleaseName ?? "release-name";
        if (template.NameTemplate is { } nameTemplate) releaseName = RenderName(nameTemplate, cancellationToken);
        var settings = new ChartRenderSettings(
            releaseName,
            options.Namespace ?? "default",
            NormalizeKubeVersion(template.KubeVersion ?? "v1.20.0"),
            template.ApiVersions ?? [],
            template.IncludeCrds ?? !options.SkipCrds,
            template.SkipTests,
            template.Compatibility,
            _limits);
        var output = await Task.Run(() =>
        {
            var chart = ChartLoader.LoadDirectory(root, dir, cancellationToken);
            ChartLoader.AddDependencies(chart, root, options.DependencyCharts, cancellationToken);
            return ChartRenderer.Render(chart, user, settings, _functions, cancellationToken);
        }, cancellationToken).ConfigureAwait(false);
        var entries = TemplatePrinter.Entries(output, template.NoHooks);
        var showOnly = template.ShowOnly ?? [];
        var text = TemplatePrinter.Text(entries, showOnly, template.Compatibility);
        // The objects are what is printed: with --show-only, the documents it kept.
        var printed = showOnly.Count > 0
            ? Chart.Manifests.Split(text, template.Compatibility).Select(d => Chart.Manifests.Head(SourceOf(d), d))
            : output.Crds.SelectMany(c => c.Documents).Concat(output.Manifests).Concat(template.NoHooks ? [] : output.Hooks);
        var manifests = new List<Manifest>();
        foreach (var m in printed)
        {
            var obj = ToJson(m);
            if (obj is not null && template.HooksAsSyncPhases && m.Hook != HookKind.None) obj = HookPhases.Map(obj);
            if (obj is not null) manifests.Add(new Manifest(obj, m.Source));
        }
        return new HelmTemplateOutput(manifests, text, entries);
    }

    private static string SourceOf(string doc) =>
        doc.StartsWith("# Source: ", StringComparison.Ordinal) ? doc["# Source: ".Length..].Split('\n')[0] : "";

    private static string NormalizeKubeVersion(string v)
    {
        var sv = SemVersion.TryParse(v) ?? throw new RenderException($"invalid kube version {GoFormat.Quote(v)}");
        return $"v{sv.Major}.{sv.Minor}.{sv.Patch}";
    }

    private string RenderName(string nameTemplate, CancellationToken ct)
    {
        var set = new TemplateSet(_functions);
        try
        {
            set.Parse("name-template", nameTemplate);
            return set.Execute("name-template", null, _limits, ct);
        }
        catch (TemplateException e) { throw new RenderException($"name template: {e.Message}", inner: e); }
    }

    private static async Task<Dictionary<string, object?>> UserValuesAsync(string root, string chartDir, HelmOptions options,
        string? valuesBase, CancellationToken ct)
    {
        var values = GoValues.NewMap();
        foreach (var file in options.ValueFiles ?? [])
        {
            var path = valuesBase is not null ? Path.GetFullPath(Path.Combine(valuesBase, file))
                : file.StartsWith('$') ? ResolveRefValuesFile(options.ValueRoots, file)
                : ResolveValuesFile(root, chartDir, file);
            string text;
            try { text = await File.ReadAllTextAsync(path, Encoding.UTF8, ct).ConfigureAwait(false); }
            catch (IOException e) { throw new RenderException($"cannot read values file: {e.Message}", file); }
            values = Values.MergeMaps(values, ParseValues(text, file));
        }
        if (!string.IsNullOrWhiteSpace(options.Values)) values = Values.MergeMaps(values, ParseValues(options.Values, "values"));
        foreach (var s in options.Set ?? [])
        {
            if (StrVals.TryParseInto(s, values, asString: false) is { } err) throw new RenderException($"failed parsing --set data: {err}");
        }
        foreach (var s in options.SetString ?? [])
        {
            if (StrVals.TryParseInto(s, values, asString: true) is { } err) throw new RenderException($"failed parsing --set-string data: {err}");
        }
        return values;
    }

    private static Dictionary<string, object?> ParseValues(string text, string file)
    {
        try { return Values.Parse(text); }
        catch (YamlReadException e) { throw new RenderException(e.Message, file, e.Line, e.Column); }
    }

    /// <summary>"$ref/path": a values file in another source's repository, inside its root.</summary>
    private static string ResolveRefValuesFile(IReadOnlyDictionary<string, string> roots, string file)
    {
        var slash = file.IndexOf('/', StringComparison.Ordinal);
        if (slash < 2 || !roots.TryGetValue(file[1..slash], out var refRoot))
            throw new RenderException("values file names a source ref that the application does not declare", file);
        return ResolveValuesFile(refRoot, refRoot, file[(slash + 1)..]);
    }

    /// <summary>An Application's values file: relative to the chart directory (an absolute path only as resolved by
    /// Kustomize's helmCharts), anywhere inside the repository, read only when its real location is inside it too.</summary>
    private static string ResolveValuesFile(string root, string chartDir, string file)
    {
        var candidate = Path.GetFullPath(Path.Combine(chartDir, file));
        if (!PathGuard.IsInside(root, candidate))
            throw new RenderException("values file must be a path inside the repository", file);
        if (!File.Exists(candidate)) throw new RenderException("values file not found", file);
        PathGuard.EnsureRealPathInside(root, candidate, file);
        return candidate;
    }

    private static JsonObject? ToJson(RenderedManifest m)
    {
        return m.Parsed switch
        {
            null => null,
            Dictionary<string, object?> map => (JsonObject)ToNode(map)!,
            _ => throw new RenderException("a rendered document is not a YAML mapping", m.Source),
        };
    }

    private static JsonNode? ToNode(object? v) => v switch
    {
        null => null,
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        string s => JsonValue.Create(s),
        List<object?> l => new JsonArray(l.Select(ToNode).ToArray()),
        Dictionary<string, object?> m => new JsonObject(m.Select(kv => KeyValuePair.Create(kv.Key, ToNode(kv.Value)))),
        _ => JsonValue.Create(GoFormat.Value(v)),
    };
}
