namespace GitOps.Templating.Serialization;

/// <summary>An object with a JSON form (Helm's chart metadata, semver versions) for toJson/toYaml.</summary>
public interface IJsonValue
{
    object? ToJsonValue();
}
