using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace GitOps.Source.Charts;

/// <summary>
/// Chart archives cached by digest (<c>archives/&lt;sha256&gt;.tgz</c>, written only once verified) and unpacked
/// once per digest into a read-only directory of this instance (<c>snapshots/&lt;instance&gt;/&lt;random&gt;/</c>,
/// removed on dispose). A digest is downloaded at most once, however many apps ask for it at the same time.
/// </summary>
internal sealed partial class ChartStore : IDisposable
{
    private readonly string archives;
    private readonly string instance;
    private readonly ArchiveLimits limits;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> unpacked = new(StringComparer.Ordinal);

    public ChartStore(string cacheDirectory, ArchiveLimits limits, ILogger logger)
    {
        archives = Path.Combine(cacheDirectory, "archives");
        instance = Path.Combine(cacheDirectory, "snapshots", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(archives);
        Directory.CreateDirectory(instance);
        this.limits = limits;
        this.logger = logger;
    }

    public void Dispose()
    {
        try
        {
            foreach (var directory in Directory.EnumerateDirectories(instance))
            {
                SnapshotWriter.Delete(directory);
            }

            Directory.Delete(instance, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // best effort: the directory is private to this instance and holds only public chart files
        }
    }

    /// <summary>The unpacked chart for <paramref name="digest"/> (hex SHA-256), downloading it when no verified copy is
    /// cached. A download whose bytes do not hash to the digest is refused and not kept.</summary>
    public async Task<string> GetAsync(string digest, string what, Func<CancellationToken, Task<byte[]>> download,
        CancellationToken cancellationToken)
    {
        var hex = NormalizeDigest(digest, what);
        var lazy = unpacked.GetOrAdd(hex, h => new Lazy<Task<string>>(() => BuildAsync(h, what, download, cancellationToken)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            unpacked.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(hex, lazy)); // a failure is not cached
            throw;
        }
    }

    /// <summary>"sha256:HEX" (OCI) or "HEX" (index.yaml) → lower-case hex; anything else is refused.</summary>
    public static string NormalizeDigest(string digest, string what)
    {
        var hex = digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest[7..] : digest;
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
        {
            throw new GitSourceException(GitSourceErrorKind.InvalidContent,
                $"{what}: digest '{digest}' is not a SHA-256 digest; archives are only accepted when they can be verified");
        }

        return hex.ToLowerInvariant();
    }

    /// <summary>The verified archive for <paramref name="digest"/> in the cache (downloaded when absent).</summary>
    public async Task<string> ArchiveAsync(string digest, string what, Func<CancellationToken, Task<byte[]>> download,
        CancellationToken cancellationToken)
    {
        var hex = NormalizeDigest(digest, what);
        await FetchAsync(hex, what, download, cancellationToken).ConfigureAwait(false);
        return Path.Combine(archives, hex + ".tgz");
    }

    private async Task<string> BuildAsync(string hex, string what, Func<CancellationToken, Task<byte[]>> download,
        CancellationToken cancellationToken)
    {
        var archive = await FetchAsync(hex, what, download, cancellationToken).ConfigureAwait(false);
        var directory = Path.Combine(instance, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        Directory.CreateDirectory(directory);
        try
        {
            ChartArchive.Extract(archive, directory, limits, what);
        }
        catch
        {
            SnapshotWriter.Delete(directory);
            throw;
        }

        foreach (var sub in Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories).Append(directory))
        {
            SnapshotWriter.SetReadOnly(sub, isDirectory: true);
        }

        return directory;
    }

    /// <summary>The archive's bytes: the cached copy when it still hashes to the digest, else downloaded, verified and
    /// written to the cache (a mismatch is refused and not kept).</summary>
    private async Task<byte[]> FetchAsync(string hex, string what, Func<CancellationToken, Task<byte[]>> download,
        CancellationToken cancellationToken)
    {
        var cached = Path.Combine(archives, hex + ".tgz");
        byte[] archive;
        if (File.Exists(cached) && Verify(archive = await File.ReadAllBytesAsync(cached, cancellationToken).ConfigureAwait(false)) == hex)
        {
            LogCached(logger, what, hex);
        }
        else
        {
            archive = await download(cancellationToken).ConfigureAwait(false);
            var actual = Verify(archive);
            if (actual != hex)
            {
                throw new GitSourceException(GitSourceErrorKind.UnsafeContent,
                    $"{what}: archive digest sha256:{actual} does not match sha256:{hex} from the repository; refused");
            }

            var temp = cached + "." + Guid.NewGuid().ToString("N")[..8];
            await File.WriteAllBytesAsync(temp, archive, cancellationToken).ConfigureAwait(false);
            File.Move(temp, cached, overwrite: true);
            LogDownloaded(logger, what, hex, archive.Length);
        }

        return archive;
    }

    private static string Verify(byte[] archive) => Convert.ToHexStringLower(SHA256.HashData(archive));

    [LoggerMessage(Level = LogLevel.Information, Message = "Chart {Chart} downloaded: sha256:{Digest}, {Bytes} bytes")]
    private static partial void LogDownloaded(ILogger logger, string chart, string digest, int bytes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Chart {Chart} from the cache: sha256:{Digest}")]
    private static partial void LogCached(ILogger logger, string chart, string digest);
}
