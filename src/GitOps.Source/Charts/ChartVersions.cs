using GitOps.Primitives;

namespace GitOps.Source.Charts;

/// <summary>How a requested chart version picks one of those available, as Helm's <c>IndexFile.Get</c> (and
/// <c>helm pull oci://… --version</c> over tags) does.</summary>
public static class ChartVersions
{
    /// <summary>An exact version string first; else the highest version in the semver range (Masterminds: pre-releases
    /// only when the range names one); "", "latest" and "HEAD" take the highest stable version.</summary>
    public static T? Select<T>(IEnumerable<T> candidates, Func<T, string> versionOf, string requested)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(versionOf);
        var list = candidates as IReadOnlyList<T> ?? [.. candidates];
        var wanted = (requested ?? "").Trim();
        if (wanted.Length == 0 || wanted is "latest" or "HEAD")
        {
            wanted = "*";
        }

        foreach (var c in list)
        {
            if (versionOf(c) == wanted)
            {
                return c;
            }
        }

        if (SemVerConstraint.TryParse(wanted) is not { } range)
        {
            return null;
        }

        T? best = null;
        SemVersion? bestVersion = null;
        foreach (var c in list)
        {
            if (SemVersion.TryParse(versionOf(c)) is { } parsed && range.Check(parsed) &&
                (bestVersion is null || parsed.CompareTo(bestVersion) > 0))
            {
                best = c;
                bestVersion = parsed;
            }
        }

        return best;
    }
}
