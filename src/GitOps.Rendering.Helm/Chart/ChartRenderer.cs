using System.Collections.Frozen;
using System.Text;
using GitOps.Templating.Functions;
using GitOps.Templating;

namespace GitOps.Rendering.Helm.Chart;

/// <summary>Inputs of one `helm template` run besides the chart and the user values.</summary>
internal sealed record ChartRenderSettings(
    string ReleaseName,
    string Namespace,
    string KubeVersion,
    IReadOnlyList<string> ExtraApiVersions,
    bool IncludeCrds,
    bool SkipTests,
    HelmCompatibility Compatibility,
    ExecutionLimits Limits);

/// <summary>A file under crds/: Helm prints it whole (not split), its documents are still objects.</summary>
internal sealed record CrdFile(string Source, string Content, List<RenderedManifest> Documents);

/// <summary>What the install action hands `helm template`: CRD files (when included), manifests by install order,
/// hooks by install order.</summary>
internal sealed record ChartRenderOutput(List<CrdFile> Crds, List<RenderedManifest> Manifests, List<RenderedManifest> Hooks);

/// <summary>Helm's engine + install action for `helm template`: values, dependencies, templates, ordering.</summary>
internal static class ChartRenderer
{
    public static ChartRenderOutput Render(ChartData chart, Dictionary<string, object?> userValues, ChartRenderSettings settings,
        FrozenDictionary<string, GoFunction> functions, CancellationToken ct)
    {
        Values.ProcessDependencies(chart, userValues);
        var values = Values.Coalesce(chart, userValues, merge: false);
        ValidateSchemas(chart, values);

        var release = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Name"] = settings.ReleaseName, ["Namespace"] = settings.Namespace, ["IsUpgrade"] = false, ["IsInstall"] = true,
            ["Revision"] = 1L, ["Service"] = "Helm",
        };
        var apis = VersionSetObject.Defaults().Concat(settings.ExtraApiVersions).ToList();
        var caps = new CapabilitiesObject(new KubeVersionObject(settings.KubeVersion), new VersionSetObject(apis));

        var templates = new List<(string Path, string Text, Dictionary<string, object?> Data)>();
        _ = Collect(chart, values, release, caps, templates);

        var set = new TemplateSet(functions, MissingKey.Zero);
        var ordered = templates.OrderByDescending(t => t.Path.Count(c => c == '/')).ThenByDescending(t => t.Path, StringComparer.Ordinal).ToList();
        foreach (var (path, text, _) in ordered)
        {
            try { set.Parse(path, text); }
            catch (TemplateException e) { throw ParseError(path, e); }
        }

        var rendered = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, _, data) in ordered)
        {
            ct.ThrowIfCancellationRequested();
            var baseName = path[(path.LastIndexOf('/') + 1)..];
            if (baseName.StartsWith('_')) continue;
            string output;
            try { output = set.Execute(path, data, settings.Limits, ct); }
            catch (TemplateException e) { throw ExecError(path, e); }
            rendered[path] = output.Replace("<no value>", "", StringComparison.Ordinal);
        }

        var manifests = new List<RenderedManifest>();
        var hooks = new List<RenderedManifest>();
        foreach (var (path, content) in rendered)
        {
            if (path.EndsWith("NOTES.txt", StringComparison.Ordinal) || content.Trim().Length == 0) continue;
            foreach (var doc in Manifests.Split(content, settings.Compatibility))
            {
                var m = Manifests.Head(path, doc);
                if (m.Hook == HookKind.Unknown) continue; // Helm drops a hook whose events it does not know
                if (m.Hook == HookKind.Test && settings.SkipTests) continue;
                (m.Hook == HookKind.None ? manifests : hooks).Add(m);
            }
        }
        var crds = new List<CrdFile>();
        if (settings.IncludeCrds) CollectCrds(chart, crds);
        return new ChartRenderOutput(crds, Manifests.SortByKind(manifests, settings.Compatibility), Manifests.SortByKind(hooks, settings.Compatibility));
    }

    /// <summary>Adds the chart's templates and returns the data its templates see (Helm's recAllTpls "next"):
    /// .Subcharts.NAME is a subchart's own data (Chart, Files, Release, Capabilities, Values, Subcharts).</summary>
    private static Dictionary<string, object?> Collect(ChartData c, Dictionary<string, object?> values, Dictionary<string, object?> release,
        CapabilitiesObject caps, List<(string, string, Dictionary<string, object?>)> templates)
    {
        c.Metadata.IsRoot = c.Parent is null;
        var full = c.FullPath;
        var subcharts = new Dictionary<string, object?>(StringComparer.Ordinal);
        var chartValues = values as ValuesObject ?? new ValuesObject(values);
        var next = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Values"] = chartValues, ["Release"] = release, ["Capabilities"] = caps, ["Chart"] = c.Metadata,
            ["Files"] = new FilesObject(c.Files.Select(f => KeyValuePair.Create(f.Name, f.Data))), ["Subcharts"] = subcharts,
        };
        var isLibrary = c.Metadata.Type == "library";
        foreach (var t in c.Templates)
        {
            // A library chart contributes only its partials (defines).
            if (isLibrary && !t.Name[(t.Name.LastIndexOf('/') + 1)..].StartsWith('_')) continue;
            var path = full + "/" + t.Name;
            var data = new Dictionary<string, object?>(next, StringComparer.Ordinal)
            {
                ["Template"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["Name"] = path, ["BasePath"] = full + "/templates" },
            };
            templates.Add((path, Encoding.UTF8.GetString(t.Data), data));
        }
        foreach (var sub in c.Dependencies)
        {
            var subValues = chartValues.GetValueOrDefault(sub.Name) as Dictionary<string, object?>;
            var subNext = Collect(sub, subValues ?? GoValues.NewMap(), release, caps, templates);
            subcharts[sub.Name] = subNext;
            // The parent's .Values.SUB and the subchart's .Values stay one map, as in Helm.
            if (subValues is not null) chartValues[sub.Name] = subNext["Values"];
        }
        return next;
    }

    private static void CollectCrds(ChartData c, List<CrdFile> crds)
    {
        foreach (var f in c.Files)
        {
            if (!f.Name.StartsWith("crds/", StringComparison.Ordinal)) continue;
            if (!(f.Name.EndsWith(".yaml", StringComparison.Ordinal) || f.Name.EndsWith(".yml", StringComparison.Ordinal) || f.Name.EndsWith(".json", StringComparison.Ordinal))) continue;
            var source = c.FullPath + "/" + f.Name;
            var text = Encoding.UTF8.GetString(f.Data);
            crds.Add(new CrdFile(source, text, Manifests.Split(text).Select(doc => Manifests.Head(source, doc)).ToList()));
        }
        foreach (var d in c.Dependencies) CollectCrds(d, crds);
    }

    private static void ValidateSchemas(ChartData chart, Dictionary<string, object?> values)
    {
        var sb = new StringBuilder();
        void Walk(ChartData c, object? v)
        {
            if (c.Schema is not null)
            {
                var errors = Schema.Validate(c.Schema, v);
                if (errors.Count > 0)
                {
                    sb.Append(c.Name).Append(":\n");
                    foreach (var e in errors) sb.Append("- ").Append(e).Append('\n');
                }
            }
            foreach (var d in c.Dependencies) Walk(d, (v as Dictionary<string, object?>)?.GetValueOrDefault(d.Name) ?? GoValues.NewMap());
        }
        Walk(chart, values);
        if (sb.Length > 0)
            throw new RenderException("values don't meet the specifications of the schema(s) in the following chart(s):\n" + sb.ToString().TrimEnd('\n'), chart.Name + "/values.schema.json");
    }

    private static RenderException ParseError(string path, TemplateException e)
    {
        var msg = e.Message.StartsWith("template: ", StringComparison.Ordinal) ? e.Message["template: ".Length..] : e.Message;
        var colon = msg.IndexOf(": ", StringComparison.Ordinal);
        var (line, col) = LineCol(colon > 0 ? msg[..colon] : "");
        return new RenderException($"parse error: {(colon > 0 ? msg[(colon + 2)..] : msg)}", path, line, col, e);
    }

    private static RenderException ExecError(string path, TemplateException e)
    {
        var (line, col) = LineCol(e.Location ?? "");
        if (HelmFunctions.Unwrap(e.Message) is { } warn)
            return new RenderException($"execution error: {warn}", path, line, col, e);
        var msg = e.Message;
        var prefix = $"template: {e.Location}: ";
        if (e.Location is not null && msg.StartsWith(prefix, StringComparison.Ordinal)) msg = msg[prefix.Length..];
        return new RenderException(msg, path, line, col, e);
    }

    private static (int? Line, int? Col) LineCol(string location)
    {
        var parts = location.Split(':');
        int? line = parts.Length >= 2 && int.TryParse(parts[1], out var l) ? l : null;
        int? col = parts.Length >= 3 && int.TryParse(parts[2], out var c) ? c : null;
        return (line, col);
    }
}
