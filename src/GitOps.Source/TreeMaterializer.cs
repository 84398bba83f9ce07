using LibGit2Sharp;

namespace GitOps.Source;

/// <summary>Writes a git tree read through LibGit2Sharp to disk without a checkout, through the
/// <see cref="SnapshotWriter"/> gate.</summary>
internal sealed class TreeMaterializer(SnapshotWriter writer)
{
    /// <summary>Writes <paramref name="tree"/>, found at <paramref name="repoPath"/> ("" for the root).</summary>
    public void Write(Tree tree, string repoPath)
    {
        writer.AddDirectory(repoPath);
        WriteEntries(tree, repoPath);
        writer.Complete();
    }

    private void WriteEntries(Tree tree, string repoPath)
    {
        foreach (var entry in tree)
        {
            if (entry.Name.Contains('/', StringComparison.Ordinal))
            {
                throw new GitSourceException(GitSourceErrorKind.UnsafeContent,
                    $"refusing tree entry '{entry.Name}' in '{(repoPath.Length == 0 ? "/" : repoPath)}': not a safe file name");
            }

            var path = repoPath.Length == 0 ? entry.Name : repoPath + "/" + entry.Name;
            switch (entry.Mode)
            {
                case Mode.Directory:
                    writer.AddDirectory(path);
                    WriteEntries((Tree)entry.Target, path);
                    break;
                case Mode.SymbolicLink:
                    var link = (Blob)entry.Target;
                    writer.AddLink(path, link.Size, link.GetContentText);
                    break;
                case Mode.NonExecutableFile or Mode.NonExecutableGroupWritableFile or Mode.ExecutableFile:
                    var blob = (Blob)entry.Target;
                    writer.AddFile(path, blob.Size, entry.Mode == Mode.ExecutableFile, output =>
                    {
                        using var content = blob.GetContentStream();
                        content.CopyTo(output);
                    });
                    break;
                default:
                    // Submodules (gitlinks) are not part of the repository's own content.
                    break;
            }
        }
    }
}
