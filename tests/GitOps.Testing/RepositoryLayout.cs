namespace GitOps.Testing;

/// <summary>Finds the repository root (where GitOps.sln lives) from a test's output directory.</summary>
public static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GitOps.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"GitOps.sln not found above {AppContext.BaseDirectory}");
    }
}
