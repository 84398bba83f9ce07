using System.Text.Json.Serialization;

namespace GitOps.Applications;

/// <summary>An application as declared (CRD object or an entry of the local applications file).</summary>
public sealed record Application(string Name, ApplicationSpec Spec)
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    /// <summary>metadata.labels (notification subscriptions select on them).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; set; } = None;

    /// <summary>metadata.annotations (e.g. notification subscriptions), in file mode as in CRD mode.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; set; } = None;
}

/// <summary>The one schema both declarations share (docs/application.md).</summary>
public sealed record ApplicationSpec
{
    /// <summary>The project (tenancy boundary) the app belongs to.</summary>
    public string Project { get; set; } = Applications.Project.DefaultName;

    public SourceSpec Source { get; set; } = new();

    /// <summary>Argo CD's multiple sources: one rendered source (a chart or a path) and git sources with a
    /// <see cref="SourceSpec.Ref"/> whose files the chart's value files name as <c>$ref/path</c>. When given, they
    /// define <see cref="Source"/> (<see cref="WithSources"/>).</summary>
    public IReadOnlyList<SourceSpec> Sources { get; set; } = [];

    public DestinationSpec Destination { get; set; } = new();
    public SyncPolicySpec? SyncPolicy { get; init; }
    public IReadOnlyList<IgnoreDifferenceSpec> IgnoreDifferences { get; set; } = [];

    /// <summary>Paused: still compared, never applied or pruned automatically.</summary>
    public bool Suspended { get; init; }

    public int RevisionHistoryLimit { get; set; } = 10;

    public bool Automated => SyncPolicy?.Automated is not null;

    /// <summary>The spec with <see cref="Source"/> taken from <see cref="Sources"/> when those are given: the one
    /// source without a ref, carrying the ref sources as its <see cref="SourceSpec.ValueSources"/>.</summary>
    public ApplicationSpec WithSources()
    {
        if (Sources.Count == 0)
        {
            return this;
        }

        var rendered = Sources.Where(s => string.IsNullOrEmpty(s.Ref)).ToList();
        return this with
        {
            Source = (rendered.Count == 1 ? rendered[0] : new SourceSpec()) with
            {
                ValueSources = [.. Sources.Where(s => !string.IsNullOrEmpty(s.Ref))],
            },
        };
    }
}

public sealed record SourceSpec
{
    [JsonPropertyName("repoURL")]
    public string RepoUrl { get; set; } = "";

    /// <summary>Git: a branch, tag, SHA or tag range. Chart: an exact version or a semver range.</summary>
    public string TargetRevision { get; set; } = "HEAD";
    public string Path { get; set; } = ".";

    /// <summary>A chart's name in the Helm chart repository (https://) or OCI registry (oci://) repoURL names;
    /// null for a git repository.</summary>
    public string? Chart { get; init; }

    [JsonIgnore]
    public bool IsChart => !string.IsNullOrEmpty(Chart);

    /// <summary>In <see cref="ApplicationSpec.Sources"/>: this git source only provides files to the rendered
    /// source's value files, named <c>$REF/path</c>.</summary>
    public string? Ref { get; init; }

    /// <summary>The ref sources of a multi-source app, set on its rendered source by <see cref="ApplicationSpec.WithSources"/>.</summary>
    [JsonIgnore]
    public IReadOnlyList<SourceSpec> ValueSources { get; set; } = [];
    public DirectorySpec? Directory { get; init; }
    public KustomizeSpec? Kustomize { get; init; }
    public HelmSpec? Helm { get; init; }
}

public sealed record DirectorySpec(bool Recurse = false, string? Include = null, string? Exclude = null);

public sealed record KustomizeSpec
{
    public string? NamePrefix { get; init; }
    public string? NameSuffix { get; init; }
    public string? Namespace { get; init; }
    public IReadOnlyList<string> Images { get; set; } = [];
    public IReadOnlyDictionary<string, string> CommonLabels { get; set; } = new Dictionary<string, string>();
}

public sealed record HelmSpec
{
    public IReadOnlyList<string> ValueFiles { get; set; } = [];
    public string? Values { get; init; }
    public IReadOnlyList<HelmParameter> Parameters { get; set; } = [];
    public string? ReleaseName { get; init; }
}

public sealed record HelmParameter(string Name, string Value, bool ForceString = false);

public sealed record DestinationSpec
{
    public string Namespace { get; set; } = "";
}

public sealed record SyncPolicySpec
{
    public AutomatedSpec? Automated { get; init; }
    public IReadOnlyList<string> SyncOptions { get; set; } = [];
    public RetrySpec? Retry { get; init; }

    public bool HasOption(string option) =>
        SyncOptions.Any(o => string.Equals(o, option, StringComparison.OrdinalIgnoreCase)
                             || string.Equals(o, option + "=true", StringComparison.OrdinalIgnoreCase));

    /// <summary>The value of a "Key=value" option (the last one wins), or null when absent.</summary>
    public string? OptionValue(string key) => SyncOptions
        .Select(o => o.Split('=', 2))
        .LastOrDefault(p => p.Length == 2 && string.Equals(p[0].Trim(), key, StringComparison.OrdinalIgnoreCase))?[1].Trim();
}

/// <summary>syncOptions with a meaning beyond on/off (docs/application.md).</summary>
public static class SyncOptionNames
{
    /// <summary>How pruned objects are deleted: foreground (default), background or orphan (Argo CD's name).</summary>
    public const string PrunePropagationPolicy = "PrunePropagationPolicy";

    /// <summary>On by default (the whole desired set is validated by server-side dry runs before the first
    /// write); "DryRunNewObjects=false" opts out for new objects.</summary>
    public const string DryRunNewObjects = "DryRunNewObjects";

    /// <summary>Take over existing objects that carry no tracking mark (off: they are reported and left alone).</summary>
    public const string AdoptExisting = "AdoptExisting";

    public static readonly IReadOnlyList<string> PropagationPolicies = ["foreground", "background", "orphan"];
}

public sealed record AutomatedSpec(bool Prune = false, bool SelfHeal = false, bool AllowEmpty = false);

public sealed record RetrySpec(int Limit = 5, BackoffSpec? Backoff = null);

public sealed record BackoffSpec(string Duration = "5s", int Factor = 2, string MaxDuration = "3m");

/// <summary>Fields to leave out of the comparison (an HPA owning replicas, a mutating webhook…).</summary>
public sealed record IgnoreDifferenceSpec
{
    public string? Group { get; init; }
    public string Kind { get; set; } = "";
    public string? Name { get; init; }
    public string? Namespace { get; init; }
    public IReadOnlyList<string> JsonPointers { get; set; } = [];
    public IReadOnlyList<string> ManagedFieldsManagers { get; set; } = [];
}
