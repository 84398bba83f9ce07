namespace GitOps.Rendering.IO;

/// <summary>Reads files only from inside a boundary directory, after resolving every symlink on the way, with
/// size caps; the guard against `../../etc/passwd` and symlinks that leave the checkout.</summary>
internal sealed class SafeFileSystem
{
    public const long DefaultMaxFileBytes = 16L * 1024 * 1024;
    public const long DefaultMaxTotalBytes = 256L * 1024 * 1024;

    private readonly long maxFileBytes;
    private readonly long maxTotalBytes;
    private long totalBytes;

    public SafeFileSystem(string root, long maxFileBytes = DefaultMaxFileBytes, long maxTotalBytes = DefaultMaxTotalBytes)
    {
        Root = RealPath(Path.GetFullPath(root));
        this.maxFileBytes = maxFileBytes;
        this.maxTotalBytes = maxTotalBytes;
    }

    /// <summary>The boundary, symlinks resolved.</summary>
    public string Root { get; }

    /// <summary>A path for messages: relative to the boundary.</summary>
    public string Display(string path)
    {
        var rel = Path.GetRelativePath(Root, path);
        return rel.Replace('\\', '/');
    }

    /// <summary>Resolves <paramref name="path"/> (absolute or relative to <paramref name="baseDirectory"/>) and
    /// fails unless the real target stays inside the boundary.</summary>
    public string Resolve(string baseDirectory, string path, string? referencedFrom = null)
    {
        var full = Path.GetFullPath(Path.Combine(baseDirectory, path));
        var real = RealPath(full);
        if (!IsInside(Root, real))
        {
            var why = IsInside(Root, full) ? "through a symlink that points outside it" : "outside it";
            throw new RenderException($"'{path}' is {why}: files may only be loaded from inside '{Root}'", referencedFrom);
        }

        return real;
    }

    public async Task<string> ReadTextAsync(string realPath, string? referencedFrom, CancellationToken cancellationToken)
    {
        var bytes = await ReadBytesAsync(realPath, referencedFrom, cancellationToken).ConfigureAwait(false);
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    public async Task<byte[]> ReadBytesAsync(string realPath, string? referencedFrom, CancellationToken cancellationToken)
    {
        var info = new FileInfo(realPath);
        if (!info.Exists)
        {
            throw new RenderException($"'{Display(realPath)}' does not exist or is not a file", referencedFrom);
        }

        if (info.Length > maxFileBytes)
        {
            throw new RenderException($"file is {info.Length} bytes, over the {maxFileBytes}-byte limit", Display(realPath));
        }

        if (Interlocked.Add(ref totalBytes, info.Length) > maxTotalBytes)
        {
            throw new RenderException($"render reads more than {maxTotalBytes} bytes in total", Display(realPath));
        }

        return await File.ReadAllBytesAsync(realPath, cancellationToken).ConfigureAwait(false);
    }

    internal static bool IsInside(string root, string path) =>
        path == root || path.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar,
            StringComparison.Ordinal);

    /// <summary>realpath(3): every component's symlink resolved (bounded, so link loops fail instead of spinning).</summary>
    internal static string RealPath(string fullPath)
    {
        var parts = fullPath.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = Path.GetPathRoot(fullPath) ?? "/";
        var hops = 0;
        var queue = new Queue<string>(parts);
        while (queue.Count > 0)
        {
            var part = queue.Dequeue();
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.Exists && info.LinkTarget is { } target)
            {
                if (++hops > 40)
                {
                    throw new RenderException($"too many levels of symbolic links at '{next}'");
                }

                var resolved = Path.GetFullPath(Path.Combine(current, target));
                var rest = queue.ToArray();
                queue = new Queue<string>(resolved.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(rest));
                current = Path.GetPathRoot(resolved) ?? "/";
                continue;
            }

            current = next;
        }

        return current;
    }
}
