using System.Security.Cryptography;
using System.Text;

namespace GitOps.Testing;

/// <summary>Installation IDs for the controllers tests start: every controller is an installation of its own unless
/// the test says otherwise (replicas, a restart), so concurrent tests whose apps share a name cannot prune or
/// overwrite each other's objects (a controller prunes only what its own installation stamped).</summary>
public static class TestInstallations
{
    public const string Flag = "--installation-id";

    /// <summary>A new ID, unique to one controller.</summary>
    public static string New() => "test-" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>The same ID for the same key: replicas of one installation, or a controller restarted over one directory.</summary>
    public static string For(string key) => "test-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];

    /// <summary>The arguments with <c>--installation-id <paramref name="id"/></c> added, unless they set one already.</summary>
    public static IReadOnlyList<string> With(IReadOnlyList<string> args, string id) =>
        args.Any(a => a.StartsWith(Flag, StringComparison.Ordinal) || a.StartsWith("--Controller:InstallationId", StringComparison.OrdinalIgnoreCase))
            ? args
            : [.. args, Flag, id];
}
