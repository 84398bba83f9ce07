using System.Diagnostics;

namespace GitOps.Source;

/// <summary>
/// Writes a snapshot's files to disk, refusing what could hurt a renderer: odd entry names, symlinks leaving the
/// repository, and files or trees over the size caps. Whatever reads git objects (LibGit2Sharp in the controller,
/// the git command in `gitops preview`) feeds its entries through this one gate.
/// </summary>
/// <param name="skipOversized">A file over the per-file limit is left out and listed in <see cref="Oversized"/>
/// instead of failing the whole snapshot: a whole-repository snapshot serves many apps, and only those whose path
/// holds the file must fail (<see cref="OversizedFile.Under"/>); one elsewhere, if an app reads it, is simply missing.</param>
/// <param name="scope">The path a snapshot of one directory is of (null for the whole tree): a symlink must stay
/// inside it, or it would dangle in the snapshot.</param>
public sealed class SnapshotWriter(GitSourceOptions options, string directory, bool skipOversized = false, string? scope = null)
{
    private const UnixFileMode ReadOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode ReadOnlyFile = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const int MaxLinkTargetBytes = 4096;

    private readonly List<string> directories = [directory];
    private readonly List<OversizedFile> oversized = [];
    private bool rootCreated;
    private long bytes;
    private int files;

    /// <summary>Total bytes of file content written so far.</summary>
    public long Bytes => bytes;

    /// <summary>Files left out for their size (only when skipping oversized files).</summary>
    public IReadOnlyList<OversizedFile> Oversized => oversized;

    /// <summary>The snapshot's root on disk.</summary>
    public string Directory => directory;

    /// <summary>Creates the directory of <paramref name="repoPath"/> (repository-relative, '/'-separated).</summary>
    public void AddDirectory(string repoPath) => Target(repoPath, isDirectory: true);

    /// <summary>Writes a regular file of <paramref name="size"/> bytes; <paramref name="copyContent"/> is called only
    /// once the size is known to be within the caps (never for a file left out), and must write exactly that many bytes.</summary>
    public void AddFile(string repoPath, long size, bool executable, Action<Stream> copyContent)
    {
        var target = Target(repoPath, isDirectory: false);
        if (size > options.MaxFileBytes)
        {
            var file = new OversizedFile(repoPath, size, options.MaxFileBytes);
            if (!skipOversized)
            {
                throw file.Error();
            }

            oversized.Add(file);
            return;
        }

        Count(size, repoPath);
        var stream = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            // Created read-only in one step: no window in which the file is writable, and no extra chmod.
            stream.UnixCreateMode = executable ? ReadOnlyDirectory : ReadOnlyFile;
        }

        using var output = new FileStream(target, stream);
        copyContent(output);
        if (output.Length != size)
        {
            throw new GitSourceException(GitSourceErrorKind.Internal, $"file '{repoPath}': {output.Length} bytes written, {size} expected");
        }
    }

    /// <summary>Creates a symlink whose target (<paramref name="size"/> bytes, read by <paramref name="readTarget"/>)
    /// must stay inside the repository.</summary>
    public void AddLink(string repoPath, long size, Func<string> readTarget)
    {
        var target = Target(repoPath, isDirectory: false);
        if (size > MaxLinkTargetBytes)
        {
            throw new GitSourceException(GitSourceErrorKind.UnsafeContent, $"symlink '{repoPath}' has an oversized target");
        }

        var linkTarget = readTarget();
        if (!StaysInside(scope is null ? repoPath : repoPath[(scope.Length + 1)..], linkTarget))
        {
            throw new GitSourceException(GitSourceErrorKind.UnsafeContent, scope is null
                ? $"symlink '{repoPath}' points outside the repository ('{linkTarget}'): refused"
                : $"symlink '{repoPath}' points outside '{scope}' ('{linkTarget}'): not in a snapshot of that path");
        }

        Count(0, repoPath);
        File.CreateSymbolicLink(target, linkTarget);
    }

    /// <summary>Makes every directory read-only, deepest first (files already are): a snapshot is immutable.</summary>
    public void Complete()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var path in directories.Distinct(StringComparer.Ordinal).OrderByDescending(d => d.Length))
        {
            File.SetUnixFileMode(path, ReadOnlyDirectory);
        }
    }

    /// <summary>True when a link at <paramref name="linkPath"/> to <paramref name="linkTarget"/> stays in the repository.</summary>
    public static bool StaysInside(string linkPath, string linkTarget)
    {
        if (linkTarget.Length == 0 || linkTarget.StartsWith('/') || linkTarget.Contains('\\', StringComparison.Ordinal) ||
            linkTarget.Contains('\0', StringComparison.Ordinal) || linkTarget.StartsWith('~'))
        {
            return false;
        }

        var stack = new Stack<string>(linkPath.Split('/')[..^1]);
        foreach (var segment in linkTarget.Split('/'))
        {
            switch (segment)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (stack.Count == 0)
                    {
                        return false;
                    }

                    stack.Pop();
                    break;
                default:
                    if (segment.Equals(".git", StringComparison.OrdinalIgnoreCase))
                    {
                        return false;
                    }

                    stack.Push(segment);
                    break;
            }
        }

        return true;
    }

    /// <summary>Makes a file or directory read-only, as a snapshot's are (unpacked chart archives use it too).</summary>
    public static void SetReadOnly(string path, bool isDirectory)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, isDirectory ? ReadOnlyDirectory : ReadOnlyFile);
        }
    }

    /// <summary>Deletes a snapshot directory, making its read-only directories writable first.</summary>
    public static void Delete(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode writable = ReadOnlyDirectory | UnixFileMode.UserWrite;
            File.SetUnixFileMode(directory, writable);
            foreach (var sub in System.IO.Directory.EnumerateDirectories(directory, "*", new EnumerationOptions
                     { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            {
                File.SetUnixFileMode(sub, writable);
            }
        }

        System.IO.Directory.Delete(directory, recursive: true);
    }

    /// <summary>Deletes a snapshot directory as <see cref="Delete"/> does, but only until <paramref name="budget"/> has
    /// passed; false when it stopped early and left the rest. Links are deleted, never followed.</summary>
    public static bool TryDelete(string directory, TimeSpan budget)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency);
        return !System.IO.Directory.Exists(directory) || DeleteUntil(new DirectoryInfo(directory), deadline);
    }

    private static bool DeleteUntil(DirectoryInfo directory, long deadline)
    {
        if (!OperatingSystem.IsWindows())
        {
            directory.UnixFileMode = ReadOnlyDirectory | UnixFileMode.UserWrite;
        }

        foreach (var entry in directory.EnumerateFileSystemInfos().ToList())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            if (entry is DirectoryInfo sub && !sub.Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                if (!DeleteUntil(sub, deadline))
                {
                    return false;
                }
            }
            else
            {
                entry.Delete(); // a file, or a link
            }
        }

        directory.Delete();
        return true;
    }

    /// <summary>The on-disk path of <paramref name="repoPath"/>, every segment checked, parents created.</summary>
    private string Target(string repoPath, bool isDirectory)
    {
        var segments = repoPath.Length == 0 ? [] : repoPath.Split('/');
        var path = directory;
        if (!rootCreated)
        {
            System.IO.Directory.CreateDirectory(path);
            rootCreated = true;
        }

        for (var i = 0; i < segments.Length; i++)
        {
            var name = segments[i];
            if (name is "" or "." or ".." || name.Contains('\\', StringComparison.Ordinal) ||
                name.Contains('\0', StringComparison.Ordinal) || name.Equals(".git", StringComparison.OrdinalIgnoreCase))
            {
                throw new GitSourceException(GitSourceErrorKind.UnsafeContent,
                    $"refusing tree entry '{name}' in '{Display(string.Join('/', segments[..i]))}': not a safe file name");
            }

            path = Path.Combine(path, name);
            if (i < segments.Length - 1 || isDirectory)
            {
                if (!System.IO.Directory.Exists(path))
                {
                    System.IO.Directory.CreateDirectory(path);
                    directories.Add(path);
                }
            }
        }

        return path;
    }

    private void Count(long size, string repoPath)
    {
        bytes += size;
        files++;
        if (bytes > options.MaxSnapshotBytes)
        {
            throw new GitSourceException(GitSourceErrorKind.TooLarge,
                $"snapshot exceeds the total size limit of {options.MaxSnapshotBytes} bytes (at '{repoPath}')");
        }

        if (files > options.MaxSnapshotFiles)
        {
            throw new GitSourceException(GitSourceErrorKind.TooLarge,
                $"snapshot exceeds the limit of {options.MaxSnapshotFiles} files (at '{repoPath}')");
        }
    }

    private static string Display(string repoPath) => repoPath.Length == 0 ? "/" : repoPath;
}

/// <summary>A file a snapshot left out because it is over the per-file limit.</summary>
public sealed record OversizedFile(string Path, long Size, long Limit)
{
    /// <summary>True when the file is inside <paramref name="repoPath"/> ("" or "." for the whole repository).</summary>
    public bool Under(string repoPath)
    {
        var prefix = repoPath.Replace('\\', '/').Trim('/');
        return prefix is "" or "." || Path == prefix || Path.StartsWith(prefix + "/", StringComparison.Ordinal);
    }

    public GitSourceException Error() => new(GitSourceErrorKind.TooLarge,
        $"file '{Path}' is {Size} bytes, over the per-file limit of {Limit} bytes");
}
