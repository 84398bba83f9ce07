using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace GitOps.Applications;

/// <summary>Reads Application objects (`apiVersion: gitops.dev/v1alpha1`, `kind: Application`), from the CRD or
/// from the local applications file, into the spec model. One schema for both.</summary>
public static class ApplicationDocuments
{
    public const string Group = "gitops.dev";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;
    public const string Kind = "Application";
    public const string Plural = "applications";

    /// <summary>Annotation that asks for a reconcile when its value changes (CRD mode): a replica that receives a
    /// webhook for an app it does not reconcile (a follower, another shard) sets it; users may too.</summary>
    public const string RefreshAnnotation = "gitops.dev/refresh";

    public static JsonSerializerOptions JsonOptions => ApplicationsJsonContext.Default.Options;

    public static Application FromObject(JsonObject obj, string origin)
    {
        if ((string?)obj["kind"] != Kind || (string?)obj["apiVersion"] != ApiVersion)
        {
            throw new InvalidDataException($"{origin}: expected apiVersion {ApiVersion}, kind {Kind}");
        }

        var name = (string?)obj["metadata"]?["name"];
        if (string.IsNullOrEmpty(name))
        {
            throw new InvalidDataException($"{origin}: metadata.name is required");
        }

        try
        {
            var spec = obj["spec"]?.Deserialize(ApplicationsJsonContext.Default.ApplicationSpec)?.WithSources()
                       ?? throw new InvalidDataException($"{origin}: application '{name}' has no spec");
            return new Application(name, spec)
            {
                Labels = StringMap(obj["metadata"]?["labels"]),
                Annotations = StringMap(obj["metadata"]?["annotations"]),
            };
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{origin}: application '{name}': invalid spec at {e.Path}: {e.Message}", e);
        }
    }

    /// <summary>A spec as JSON in the resource's schema (the API's spec_json); <see cref="FromSpecJson"/> reads it back.</summary>
    public static string SpecJson(ApplicationSpec spec) => JsonSerializer.Serialize(spec, ApplicationsJsonContext.Default.ApplicationSpec);

    /// <summary>An app from its name and spec JSON (the API's spec_json), validated as a declared Application is.</summary>
    public static Application FromSpecJson(string name, string specJson, string origin) =>
        FromObject(new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = Kind,
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = JsonNode.Parse(specJson),
        }, origin);

    /// <summary>Loads every Application of a YAML file (multi-document).</summary>
    public static IReadOnlyList<Application> LoadFile(string path) => LoadDeclarations(path).Applications;

    /// <summary>Loads every Application and Project (kind Project, same apiVersion) of a YAML file.</summary>
    public static Declarations LoadDeclarations(string path)
    {
        var text = File.ReadAllText(path);
        var apps = new List<Application>();
        var projects = new List<Project>();
        foreach (var (doc, line) in SimpleYaml.ReadDocuments(text, path))
        {
            if ((string?)doc["kind"] == Project.Kind && (string?)doc["apiVersion"] == ApiVersion)
            {
                projects.Add(Project.FromObject(doc, $"{path}:{line}"));
            }
            else
            {
                apps.Add(FromObject(doc, $"{path}:{line}"));
            }
        }

        var duplicate = apps.GroupBy(a => a.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"{path}: application '{duplicate.Key}' is declared twice");
        }

        if (projects.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidDataException($"{path}: project '{twice.Key}' is declared twice");
        }

        ShareStrings(apps);
        return new Declarations(apps, projects);
    }

    /// <summary>Thousands of apps of one file name the same repository, revision and project and a few namespaces:
    /// one string each instead of a copy per app, kept for as long as the apps are declared. Done on the freshly
    /// read specs, before anyone else sees them.</summary>
    private static void ShareStrings(IEnumerable<Application> apps)
    {
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        string Share(string value) => strings.TryGetValue(value, out var known) ? known : strings[value] = value;
        foreach (var spec in apps.Select(a => a.Spec))
        {
            spec.Project = Share(spec.Project);
            spec.Source.RepoUrl = Share(spec.Source.RepoUrl);
            spec.Source.TargetRevision = Share(spec.Source.TargetRevision);
            spec.Destination.Namespace = Share(spec.Destination.Namespace);
        }
    }

    // Most apps have no labels or annotations: they share the empty map instead of two each.
    private static IReadOnlyDictionary<string, string> StringMap(JsonNode? node) =>
        node is JsonObject map && map.Any(p => p.Value is JsonValue)
            ? map.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.ToString(), StringComparer.Ordinal)
            : System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;

    public sealed record Declarations(IReadOnlyList<Application> Applications, IReadOnlyList<Project> Projects);
}
