namespace GitOps.Source;

/// <summary>Decides whether an application's directory is touched by a set of changed paths.</summary>
public static class ChangeDetection
{
    /// <summary>
    /// True when a changed path is <paramref name="appPath"/> or below it. An empty path or "." is the
    /// repository root, which every change affects.
    /// </summary>
    public static bool IsAffected(string appPath, IEnumerable<string> changedPaths)
    {
        ArgumentNullException.ThrowIfNull(appPath);
        ArgumentNullException.ThrowIfNull(changedPaths);
        var prefix = appPath.Replace('\\', '/').Trim('/');
        if (prefix.StartsWith("./", StringComparison.Ordinal))
        {
            prefix = prefix[2..];
        }

        if (prefix is "" or ".")
        {
            return changedPaths.Any();
        }

        return changedPaths.Any(p => p.Equals(prefix, StringComparison.Ordinal) ||
            (p.Length > prefix.Length && p[prefix.Length] == '/' && p.StartsWith(prefix, StringComparison.Ordinal)));
    }

    /// <summary>True when any of <paramref name="appPaths"/> (an app and the bases it reads) is affected.</summary>
    public static bool IsAffected(IEnumerable<string> appPaths, IReadOnlyCollection<string> changedPaths) =>
        appPaths.Any(p => IsAffected(p, changedPaths));
}
