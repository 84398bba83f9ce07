namespace GitOps.Source;

/// <summary>Facts about the source stage (git) for diagnostics.</summary>
public static class SourceAssembly
{
    /// <summary>The libgit2 version LibGit2Sharp loaded (proves the native library loads here).</summary>
    public static string NativeLibraryVersion => LibGit2Sharp.GlobalSettings.Version.LibGit2CommitSha ?? "";
}
