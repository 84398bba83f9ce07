using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Engine;

namespace GitOps.Applications;

/// <summary>A tenancy boundary apps belong to (`spec.project`), in the spirit of Argo CD's AppProject: which
/// source repositories, which destination namespaces and which cluster-scoped kinds its apps may use.</summary>
public sealed record Project(string Name, ProjectSpec Spec)
{
    public const string Kind = "Project";
    public const string Plural = "projects";
    public const string DefaultName = "default";

    /// <summary>The project every app belongs to unless it names another, when none named "default" is
    /// declared: any repository, only the app's own destination namespace, no cluster-scoped kinds (the
    /// destination Namespace that CreateNamespace makes is the engine's, not a desired object).</summary>
    public static Project Default { get; } = new(DefaultName, new ProjectSpec());

    /// <summary>Why the app may not use this project as declared (repository, destination), empty when it may.</summary>
    public IReadOnlyList<string> Check(Application app)
    {
        var problems = new List<string>();
        foreach (var repo in app.Spec.Source.ValueSources.Select(s => s.RepoUrl).Prepend(app.Spec.Source.RepoUrl).Distinct())
        {
            if (!Spec.SourceRepos.Any(p => Glob.Matches(p, repo)))
            {
                problems.Add($"repository {repo} is not a source of project '{Name}'");
            }
        }

        if (Spec.Destinations.Count > 0 && !Spec.Destinations.Any(d => Glob.Matches(d.Namespace, app.Spec.Destination.Namespace)))
        {
            problems.Add($"namespace {app.Spec.Destination.Namespace} is not a destination of project '{Name}'");
        }

        return problems;
    }

    /// <summary>Where the app's objects may go: the project's destinations, or only the app's own destination
    /// namespace when the project lists none.</summary>
    public ResourceBoundary BoundaryFor(Application app) => new(
        Spec.Destinations.Count == 0 ? [app.Spec.Destination.Namespace] : Spec.Destinations.Select(d => d.Namespace).ToList(),
        Spec.ClusterResourceWhitelist.Select(k => new ClusterKind(k.Group, k.Kind)).ToList());

    public static Project FromObject(JsonObject obj, string origin)
    {
        var name = (string?)obj["metadata"]?["name"];
        if (string.IsNullOrEmpty(name))
        {
            throw new InvalidDataException($"{origin}: metadata.name is required");
        }

        try
        {
            return new Project(name, obj["spec"]?.Deserialize(ApplicationsJsonContext.Default.ProjectSpec) ?? new ProjectSpec());
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{origin}: project '{name}': invalid spec at {e.Path}: {e.Message}", e);
        }
    }
}

public sealed record ProjectSpec
{
    /// <summary>Repository URL globs; `*` = any.</summary>
    public IReadOnlyList<string> SourceRepos { get; set; } = ["*"];

    /// <summary>Namespace globs objects may go to; empty = each app's own destination namespace only.</summary>
    public IReadOnlyList<ProjectDestination> Destinations { get; set; } = [];

    /// <summary>Cluster-scoped kinds the apps may create (group "" = core); empty = none.</summary>
    public IReadOnlyList<GroupKind> ClusterResourceWhitelist { get; set; } = [];
}

public sealed record ProjectDestination(string Namespace = "");

public sealed record GroupKind(string Group = "", string Kind = "");
