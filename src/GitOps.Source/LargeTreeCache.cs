using System.Reflection;
using System.Runtime.InteropServices;
using LibGit2Sharp;

namespace GitOps.Source;

/// <summary>
/// Lets libgit2 keep large parsed trees in a repository handle's object cache. By default it caches no tree over
/// 4 KiB, so every lookup through the 50 000-entry <c>apps/</c> directory of a monorepo read and parsed ~2 MB again
/// (11–30 ms each): the kept handle of a mirror (<see cref="MirrorReader"/>) paid that for every app a push touched,
/// one after another under its lock. With the limit raised, the first lookup of a commit parses the tree and the
/// others take microseconds (measured: 10 lookups 290–400 ms → 0.1 ms after the first). The cache's total stays
/// libgit2's (256 MiB by default, shared by every handle). LibGit2Sharp has no setting for this, so the option is
/// set through libgit2's <c>git_libgit2_opts</c> in the native library LibGit2Sharp itself loaded.
/// </summary>
internal static class LargeTreeCache
{
    // git_libgit2_opt_t and git_object_t values (git2/common.h, git2/types.h).
    private const int SetCacheObjectLimit = 6;
    private const int GetCachedMemory = 9;
    private const int TreeType = 2;

    /// <summary>Trees up to this size are cached: ~400 000 entries.</summary>
    public const long DefaultLimitBytes = 16 * 1024 * 1024;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetLimit(int option, int type, nuint bytes);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int GetMemory(int option, out long current, out long allowed);

    /// <summary>Raises the limit; false when libgit2's options could not be reached (a LibGit2Sharp that names or
    /// loads its native library differently), which costs speed, never correctness.</summary>
    public static bool Enable(long limitBytes = DefaultLimitBytes) =>
        Options() is { } opts && Marshal.GetDelegateForFunctionPointer<SetLimit>(opts)(SetCacheObjectLimit, TreeType, (nuint)limitBytes) == 0;

    /// <summary>Bytes held by libgit2's object caches of all handles (tests).</summary>
    public static long? CachedBytes() =>
        Options() is { } opts && Marshal.GetDelegateForFunctionPointer<GetMemory>(opts)(GetCachedMemory, out var current, out _) == 0
            ? current
            : null;

    private static nint? Options()
    {
        // LibGit2Sharp names its native library after the libgit2 build it bundles (git2-<commit>) in an internal
        // constant; loading that name through its assembly finds the same, already loaded, library.
        var assembly = typeof(Repository).Assembly;
        if (assembly.GetType("LibGit2Sharp.Core.NativeDllName")?.GetField("Name", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                ?.GetRawConstantValue() is not string name)
        {
            return null;
        }

        // libgit2 is initialised by LibGit2Sharp's first use; make sure that happened before its options are set.
        _ = GlobalSettings.Version;
        return NativeLibrary.TryLoad(name, assembly, null, out var library) && NativeLibrary.TryGetExport(library, "git_libgit2_opts", out var opts)
            ? opts
            : null;
    }
}
