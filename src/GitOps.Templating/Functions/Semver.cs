using GitOps.Primitives;
using GitOps.Templating.Serialization;

namespace GitOps.Templating.Functions;

/// <summary>Sprig's semver and semverCompare, over Masterminds/semver semantics.</summary>
internal static class Semver
{
    public static void Register(IDictionary<string, GoFunction> t)
    {
        t["semver"] = GoFunction.Of("semver", "s", (_, a) => new SemverObject(Parse((string)a[0]!)));
        t["semverCompare"] = GoFunction.Of("semverCompare", "ss", (_, a) =>
            Constraint((string)a[0]!).Check(SemVersion.TryParse((string)a[1]!) ?? throw new FunctionException("Invalid Semantic Version")));
    }

    private static SemVersion Parse(string s) => SemVersion.TryParse(s) ?? throw new FunctionException("Invalid Semantic Version");

    private static SemVerConstraint Constraint(string s) => SemVerConstraint.TryParse(s) ?? throw new FunctionException($"improper constraint: {s}");
}

/// <summary>A *semver.Version as templates see it: its methods, %v as the version, JSON as a string.</summary>
internal sealed class SemverObject(SemVersion version) : IGoObject, IJsonValue
{
    public SemVersion Version { get; } = version;

    public string GoTypeName => "*semver.Version";

    public bool TryGetField(string name, out object? value)
    {
        value = null;
        return false;
    }

    public GoFunction? GetMethod(string name) => name switch
    {
        "Major" => GoFunction.Of(name, "", (_, _) => (long)Version.Major),
        "Minor" => GoFunction.Of(name, "", (_, _) => (long)Version.Minor),
        "Patch" => GoFunction.Of(name, "", (_, _) => (long)Version.Patch),
        "Prerelease" => GoFunction.Of(name, "", (_, _) => Version.Prerelease),
        "Metadata" => GoFunction.Of(name, "", (_, _) => Version.Metadata),
        "Original" => GoFunction.Of(name, "", (_, _) => Version.Original),
        "String" => GoFunction.Of(name, "", (_, _) => Version.ToString()),
        "Compare" => GoFunction.Of(name, "a", (_, a) => (long)Version.CompareTo(Other(a[0]))),
        "LessThan" => GoFunction.Of(name, "a", (_, a) => Version.CompareTo(Other(a[0])) < 0),
        "GreaterThan" => GoFunction.Of(name, "a", (_, a) => Version.CompareTo(Other(a[0])) > 0),
        "Equal" => GoFunction.Of(name, "a", (_, a) => Version.CompareTo(Other(a[0])) == 0),
        _ => null,
    };

    private static SemVersion? Other(object? v) => (v as SemverObject)?.Version;

    public string Format() => Version.ToString();

    public object? ToJsonValue() => Version.ToString();
}
