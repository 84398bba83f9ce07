using GitOps.Templating;
using GitOps.Templating.Serialization;

namespace GitOps.Rendering.Helm.Chart;

/// <summary>One file of a chart: its path relative to the chart root ('/'-separated) and bytes.</summary>
internal sealed record ChartFile(string Name, byte[] Data);

/// <summary>A loaded chart (and its subcharts). Values and dependencies are adjusted while rendering.</summary>
internal sealed class ChartData
{
    public required ChartMetadata Metadata { get; set; }
    public required List<ChartFile> Templates { get; init; }
    public required List<ChartFile> Files { get; init; }
    public required Dictionary<string, object?> Values { get; set; }
    public string? Schema { get; init; }
    public List<ChartData> Dependencies { get; set; } = [];
    public ChartData? Parent { get; set; }

    public string Name => Metadata.Name;

    /// <summary>"top/charts/sub" as Helm names template paths.</summary>
    public string FullPath => Parent is null ? Name : Parent.FullPath + "/charts/" + Name;

    public ChartData WithName(string name) => new()
    {
        Metadata = Metadata.WithName(name),
        Templates = Templates,
        Files = Files,
        Values = (Dictionary<string, object?>)GoValues.DeepCopy(Values)!,
        Schema = Schema,
        Dependencies = Dependencies,
        Parent = Parent,
    };
}

/// <summary>A dependency entry of Chart.yaml (or requirements.yaml for apiVersion v1).</summary>
internal sealed class ChartDependency
{
    public string Name { get; set; } = "";
    public string Version { get; set; } = "";
    public string Repository { get; set; } = "";
    public string Condition { get; set; } = "";
    public List<string> Tags { get; set; } = [];
    public string Alias { get; set; } = "";
    public List<object?> ImportValues { get; set; } = [];
    public bool Enabled { get; set; } = true;

    public static ChartDependency From(Dictionary<string, object?> m) => new()
    {
        Name = m.GetValueOrDefault("name") as string ?? "",
        Version = m.GetValueOrDefault("version")?.ToString() ?? "",
        Repository = m.GetValueOrDefault("repository") as string ?? "",
        Condition = m.GetValueOrDefault("condition") as string ?? "",
        Tags = (m.GetValueOrDefault("tags") as List<object?> ?? []).Select(t => t?.ToString() ?? "").ToList(),
        Alias = m.GetValueOrDefault("alias") as string ?? "",
        ImportValues = m.GetValueOrDefault("import-values") as List<object?> ?? [],
    };

    public Dictionary<string, object?> ToMap()
    {
        var m = GoValues.NewMap();
        m["name"] = Name;
        if (Version.Length > 0) m["version"] = Version;
        if (Repository.Length > 0) m["repository"] = Repository;
        if (Condition.Length > 0) m["condition"] = Condition;
        if (Tags.Count > 0) m["tags"] = Tags.Select(t => (object?)t).ToList();
        if (Alias.Length > 0) m["alias"] = Alias;
        if (ImportValues.Count > 0) m["import-values"] = ImportValues;
        m["enabled"] = Enabled;
        return m;
    }
}

/// <summary>Chart.yaml as Helm's *chart.Metadata: Go field names for templates, JSON names for toYaml.</summary>
internal sealed class ChartMetadata : IGoObject, IJsonValue
{
    private static readonly (string Field, string Json)[] Fields =
    [
        ("Name", "name"), ("Home", "home"), ("Sources", "sources"), ("Version", "version"), ("Description", "description"),
        ("Keywords", "keywords"), ("Maintainers", "maintainers"), ("Icon", "icon"), ("APIVersion", "apiVersion"),
        ("Condition", "condition"), ("Tags", "tags"), ("AppVersion", "appVersion"), ("Deprecated", "deprecated"),
        ("Annotations", "annotations"), ("KubeVersion", "kubeVersion"), ("Dependencies", "dependencies"), ("Type", "type"),
    ];

    private readonly Dictionary<string, object?> _raw;

    public ChartMetadata(Dictionary<string, object?> raw, List<ChartDependency> dependencies)
    {
        _raw = raw;
        Dependencies = dependencies;
    }

    public string Name => _raw.GetValueOrDefault("name") as string ?? "";
    public string Version => StringOf("version");
    public string ApiVersion => StringOf("apiVersion");
    public string Type => StringOf("type");
    public List<ChartDependency> Dependencies { get; set; }

    /// <summary>Helm adds IsRoot next to the metadata fields of .Chart.</summary>
    public bool IsRoot { get; set; } = true;

    private string StringOf(string key) => _raw.GetValueOrDefault(key) switch
    {
        null => "",
        string s => s,
        double d => GoYamlWriter.FormatNumber(d),
        var o => GoFormat.Value(o),
    };

    public ChartMetadata WithName(string name)
    {
        var raw = new Dictionary<string, object?>(_raw, StringComparer.Ordinal) { ["name"] = name };
        return new ChartMetadata(raw, Dependencies) { IsRoot = IsRoot };
    }

    public string GoTypeName => "*chart.Metadata";

    public bool TryGetField(string name, out object? value)
    {
        if (name == "IsRoot")
        {
            value = IsRoot;
            return true;
        }
        foreach (var (field, json) in Fields)
        {
            if (field != name) continue;
            value = name switch
            {
                "Dependencies" => Dependencies.Select(d => (object?)new DependencyObject(d)).ToList(),
                "Deprecated" => _raw.GetValueOrDefault(json) is true,
                "Sources" or "Keywords" or "Tags" or "Maintainers" => _raw.GetValueOrDefault(json) ?? (name == "Tags" ? "" : null),
                "Annotations" => _raw.GetValueOrDefault(json) ?? null,
                _ => StringOf(json),
            };
            return true;
        }
        value = null;
        return false;
    }

    public GoFunction? GetMethod(string name) => null;

    public string Format() => "{" + string.Join(' ', Fields.Select(f => TryGetField(f.Field, out var v) ? GoFormat.Value(v) : "")) + "}";

    public object? ToJsonValue()
    {
        var m = GoValues.NewMap();
        foreach (var (k, v) in _raw)
        {
            if (k == "dependencies") continue;
            m[k] = v is double d && k is "version" or "appVersion" or "apiVersion" ? GoYamlWriter.FormatNumber(d) : v;
        }
        if (Dependencies.Count > 0) m["dependencies"] = Dependencies.Select(d => (object?)d.ToMap()).ToList();
        return m;
    }

    private sealed class DependencyObject(ChartDependency d) : IGoObject, IJsonValue
    {
        public string GoTypeName => "*chart.Dependency";

        public bool TryGetField(string name, out object? value)
        {
            value = name switch
            {
                "Name" => d.Name, "Version" => d.Version, "Repository" => d.Repository, "Condition" => d.Condition,
                "Tags" => d.Tags.Select(t => (object?)t).ToList(), "Enabled" => d.Enabled, "Alias" => d.Alias,
                "ImportValues" => d.ImportValues,
                _ => NoValue.Instance,
            };
            return value is not NoValue;
        }

        public GoFunction? GetMethod(string name) => null;
        public string Format() => "&{" + d.Name + " " + d.Version + " " + d.Repository + "}";
        public object? ToJsonValue() => d.ToMap();
    }
}
