namespace GitOps.Rendering.Helm.Chart;

/// <summary>Keeps every read inside the repository checkout (Argo CD CVE-2022-24348/24904/31036 class of bugs).</summary>
internal static class PathGuard
{
    public static bool IsInside(string root, string fullPath)
    {
        var r = Path.TrimEndingDirectorySeparator(root);
        return fullPath == r || fullPath.StartsWith(r + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    public static void EnsureInside(string root, string fullPath, string shownAs)
    {
        if (!IsInside(root, fullPath)) throw new RenderException("path escapes the repository root", shownAs);
    }

    /// <summary>Resolves symlinks along the path and checks the real location is still inside the root.</summary>
    public static void EnsureRealPathInside(string root, string fullPath, string shownAs)
    {
        var realRoot = RealPath(root);
        var real = RealPath(fullPath);
        if (!IsInside(realRoot, real)) throw new RenderException("symlink points outside the repository root", shownAs);
    }

    /// <summary>A relative, '..'-free path for values files and .Files lookups; null when it is not one.</summary>
    public static string? CleanRelative(string path)
    {
        if (path.Length == 0 || Path.IsPathRooted(path) || path.StartsWith('/') || path.StartsWith('\\')) return null;
        var parts = path.Replace('\\', '/').Split('/');
        if (parts.Any(p => p == "..")) return null;
        return string.Join('/', parts.Where(p => p.Length > 0 && p != "."));
    }

    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var parts = full.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = Path.GetPathRoot(full) ?? "/";
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            var hops = 0;
            while (info.Exists && info.LinkTarget is not null)
            {
                if (++hops > 40) throw new RenderException("too many levels of symbolic links", path);
                var target = info.LinkTarget;
                next = Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(Path.GetDirectoryName(next)!, target));
                info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            }
            current = next;
        }
        return current;
    }
}
