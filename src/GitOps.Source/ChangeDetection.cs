namespace GitOps.Source;

/// <summary>Decides whether an application's directory is touched by a set of changed paths.</summary>
public static class ChangeDetection
{
    /// <summary>
    /// True when a changed path is <paramref name="appPath"/> or below it. An empty path or "." is the
    /// repository root, which every change affects.
    /// </summary>
    public static bool IsAffected(string appPath, IEnumerable<string> changedPaths) =>
        new ChangedDirectories(changedPaths).Affects(appPath);
}

/// <summary>
/// Changed paths indexed by every directory that holds one, so that testing many apps against one push costs a
/// lookup per app: a push to a monorepo of 50 000 apps tests each of them, and comparing each with every changed
/// path cost a string built per pair.
/// </summary>
public sealed class ChangedDirectories
{
    private readonly HashSet<string> touched = new(StringComparer.Ordinal);
    private readonly bool any;

    public ChangedDirectories(IEnumerable<string> changedPaths)
    {
        ArgumentNullException.ThrowIfNull(changedPaths);
        foreach (var path in changedPaths)
        {
            any = true;
            touched.Add(path);
            for (var i = path.IndexOf('/', StringComparison.Ordinal); i >= 0; i = path.IndexOf('/', i + 1))
            {
                touched.Add(path[..i]);
            }
        }
    }

    /// <summary>True when no path changed.</summary>
    public bool IsEmpty => !any;

    /// <summary>True when a changed path is <paramref name="appPath"/> or below it; an empty path or "." is the
    /// repository root, which every change affects.</summary>
    public bool Affects(string appPath)
    {
        var directory = AppDirectory(appPath);
        return directory.Length == 0 ? any : touched.Contains(directory);
    }

    /// <summary>Every directory that holds a changed path, and the changed paths themselves: an app is affected
    /// exactly when its <see cref="AppDirectory"/> is one of them (or is the root).</summary>
    public IReadOnlyCollection<string> Touched => touched;

    /// <summary>An app's path as <see cref="Touched"/> spells directories: '/'-separated, no leading "./" or
    /// trailing '/'; "" for the repository root (an empty path or ".").</summary>
    public static string AppDirectory(string appPath)
    {
        ArgumentNullException.ThrowIfNull(appPath);
        // Replace and Trim return the same string when there is nothing to change: no allocation per app.
        var prefix = appPath.Replace('\\', '/').Trim('/');
        if (prefix.StartsWith("./", StringComparison.Ordinal))
        {
            prefix = prefix[2..];
        }

        return prefix == "." ? "" : prefix;
    }
}
