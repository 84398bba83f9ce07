namespace GitOps.Source;

/// <summary>Marker for the source stage (git). The repository cache lands under issue 5.</summary>
public static class SourceAssembly
{
    /// <summary>The libgit2 version LibGit2Sharp loaded (proves the native library loads here).</summary>
    public static string NativeLibraryVersion => LibGit2Sharp.GlobalSettings.Version.LibGit2CommitSha ?? "";
}
