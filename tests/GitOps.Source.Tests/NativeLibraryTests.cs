namespace GitOps.Source.Tests;

/// <summary>LibGit2Sharp's native libgit2 loads on this platform (Debian 12).</summary>
public sealed class NativeLibraryTests
{
    [Fact]
    public void Libgit2_native_library_loads_and_reports_https_support()
    {
        Assert.False(string.IsNullOrEmpty(GitOps.Source.SourceAssembly.NativeLibraryVersion));
        Assert.True(LibGit2Sharp.GlobalSettings.Version.Features.HasFlag(LibGit2Sharp.BuiltInFeatures.Https));
    }
}
