using LibGit2Sharp;

namespace GitOps.Source;

/// <summary>
/// Writes a git tree to disk without a checkout, refusing what could hurt a renderer: symlinks leaving the
/// repository (or, for a snapshot of one path, leaving that path: it would dangle there), odd entry names, and
/// files or trees over the size caps.
/// </summary>
/// <param name="subPath">The path a snapshot of one directory is of; null for the whole tree.</param>
internal sealed class TreeMaterializer(GitSourceOptions options, string? subPath = null)
{
    private long bytes;
    private int files;

    public long Bytes => bytes;

    /// <summary>Writes <paramref name="tree"/> (found at <paramref name="repoPath"/>) below <paramref name="directory"/>.</summary>
    public void Write(Tree tree, string repoPath, string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var entry in tree)
        {
            var name = entry.Name;
            if (name is "" or "." or ".." || name.Contains('/', StringComparison.Ordinal) ||
                name.Contains('\\', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal) ||
                name.Equals(".git", StringComparison.OrdinalIgnoreCase))
            {
                throw new GitSourceException(GitSourceErrorKind.UnsafeContent,
                    $"refusing tree entry '{name}' in '{Display(repoPath)}': not a safe file name");
            }

            var entryRepoPath = repoPath.Length == 0 ? name : repoPath + "/" + name;
            var target = Path.Combine(directory, name);
            switch (entry.Mode)
            {
                case Mode.Directory:
                    Write((Tree)entry.Target, entryRepoPath, target);
                    break;
                case Mode.SymbolicLink:
                    WriteLink((Blob)entry.Target, entryRepoPath, target);
                    break;
                case Mode.NonExecutableFile or Mode.NonExecutableGroupWritableFile or Mode.ExecutableFile:
                    WriteFile((Blob)entry.Target, entryRepoPath, target, entry.Mode == Mode.ExecutableFile);
                    break;
                default:
                    // Submodules (gitlinks) are not part of the repository's own content.
                    break;
            }
        }

        SetMode(directory, ReadOnlyDirectory);
    }

    private const UnixFileMode ReadOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode ReadOnlyFile = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private void WriteFile(Blob blob, string repoPath, string target, bool executable)
    {
        if (blob.Size > options.MaxFileBytes)
        {
            throw new GitSourceException(GitSourceErrorKind.TooLarge,
                $"file '{repoPath}' is {blob.Size} bytes, over the per-file limit of {options.MaxFileBytes} bytes");
        }

        Count(blob.Size, repoPath);
        var stream = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            // Created read-only in one step: no window in which the file is writable, and no extra chmod.
            stream.UnixCreateMode = executable ? ReadOnlyDirectory : ReadOnlyFile;
        }

        using var content = blob.GetContentStream();
        using var output = new FileStream(target, stream);
        content.CopyTo(output);
    }

    private void WriteLink(Blob blob, string repoPath, string target)
    {
        if (blob.Size > 4096)
        {
            throw new GitSourceException(GitSourceErrorKind.UnsafeContent, $"symlink '{repoPath}' has an oversized target");
        }

        var linkTarget = blob.GetContentText();
        if (!StaysInside(subPath is null ? repoPath : repoPath[(subPath.Length + 1)..], linkTarget))
        {
            throw new GitSourceException(GitSourceErrorKind.UnsafeContent, subPath is null
                ? $"symlink '{repoPath}' points outside the repository ('{linkTarget}'): refused"
                : $"symlink '{repoPath}' points outside '{subPath}' ('{linkTarget}'): not in a snapshot of that path");
        }

        Count(0, repoPath);
        File.CreateSymbolicLink(target, linkTarget);
    }

    /// <summary>True when a link at <paramref name="linkPath"/> to <paramref name="linkTarget"/> stays in the repository.</summary>
    internal static bool StaysInside(string linkPath, string linkTarget)
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

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    /// <summary>Deletes a snapshot directory, making its read-only directories writable first.</summary>
    public static void Delete(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode writable = ReadOnlyDirectory | UnixFileMode.UserWrite;
            File.SetUnixFileMode(directory, writable);
            foreach (var sub in Directory.EnumerateDirectories(directory, "*", new EnumerationOptions
                     { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            {
                File.SetUnixFileMode(sub, writable);
            }
        }

        Directory.Delete(directory, recursive: true);
    }
}
