using System.Diagnostics;
using System.Security.Cryptography;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;

namespace GitOps.Source;

/// <summary>
/// Per-(repository, commit, sub-path) snapshot directories with random names, built once and shared, kept
/// under a disk budget by evicting the least recently used ones that nobody holds a lease on.
/// </summary>
internal sealed partial class SnapshotStore : IDisposable
{
    private readonly GitSourceOptions options;
    private readonly ILogger logger;
    private readonly string root;
    private readonly Lock gate = new();
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly TreeIndex trees = new();

    /// <summary>The index of large trees this store's snapshots go through, shared with directory-id lookups.</summary>
    public TreeIndex Trees => trees;

    // Bytes of the built snapshots in `entries`, kept as they come and go: summing them on every lease would cost
    // O(snapshots) per lease, and a snapshot per app directory means tens of thousands of them.
    private long heldBytes;

    public SnapshotStore(GitSourceOptions options, ILogger logger)
    {
        this.options = options;
        this.logger = logger;
        var parent = Path.Combine(options.CacheDirectory, "snapshots");
        Directory.CreateDirectory(parent);
        if (!OperatingSystem.IsWindows())
        {
            // Others may traverse to a path they were given but not list the random names.
            File.SetUnixFileMode(parent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        RemoveAbandoned(parent);
        // Each instance owns a directory marked by a lock held while it lives, so a second process (or a
        // second instance in tests) sharing the cache never removes snapshots still being read.
        root = Path.Combine(parent, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        Directory.CreateDirectory(root);
        instanceLock = new FileStream(Path.Combine(root, LockName), FileMode.Create, FileAccess.ReadWrite, FileShare.None);
    }

    private const string LockName = ".lock";

    private readonly FileStream instanceLock;

    /// <summary>At most this long goes into deleting the snapshots on dispose (a stop). Whole-tree snapshots of a
    /// 50 000-app monorepo are hundreds of thousands of files, which a busy disk deletes in minutes (one such tree:
    /// 69 s at load 37; a 2 GB cache holds several), while Kubernetes kills the pod 30 s after asking it to stop.
    /// What is left is an unlocked instance directory the next start removes.</summary>
    private static readonly TimeSpan DisposeBudget = TimeSpan.FromSeconds(5);

    private int disposed;

    public void Dispose()
    {
        // Registered under two service types (GitSource, IGitSource), the owner is disposed twice.
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        instanceLock.Dispose();
        try
        {
            if (!SnapshotWriter.TryDelete(root, DisposeBudget))
            {
                LogLeftForNextStart(logger, root, DisposeBudget.TotalSeconds);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogEvictFailed(logger, root, e.Message);
        }
    }

    private static void DeleteInstance(string directory)
    {
        foreach (var snapshot in Directory.EnumerateDirectories(directory))
        {
            SnapshotWriter.Delete(snapshot);
        }

        Directory.Delete(directory, recursive: true);
    }

    /// <summary>Deletes instance directories whose lock nobody holds any more (a previous process).</summary>
    private void RemoveAbandoned(string parent)
    {
        foreach (var instance in Directory.EnumerateDirectories(parent))
        {
            try
            {
                using (new FileStream(Path.Combine(instance, LockName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
                {
                }

                DeleteInstance(instance);
            }
            catch (IOException)
            {
                // Held by a live instance: not ours to clean.
            }
            catch (UnauthorizedAccessException e)
            {
                LogEvictFailed(logger, instance, e.Message);
            }
        }
    }

    public long DiskBytes
    {
        get
        {
            lock (gate)
            {
                return entries.Values.Where(e => e.Build.IsCompletedSuccessfully).Sum(e => e.Build.Result.Bytes);
            }
        }
    }

    public async Task<SnapshotLease> AcquireAsync(Mirror mirror, string sha, string? subPath,
        CancellationToken cancellationToken)
    {
        var key = $"{mirror.Url.Normalized}\n{sha}\n{subPath}";
        Entry entry;
        lock (gate)
        {
            if (!entries.TryGetValue(key, out entry!) || entry.Build.IsFaulted || entry.Build.IsCanceled)
            {
                // Shared by every caller, so one caller's cancellation must not abort it.
                entry = new Entry(key, Task.Run(() => Build(mirror, sha, subPath), CancellationToken.None));
                entries[key] = entry;
            }

            entry.Leases++;
            entry.LastUsed = Stopwatch.GetTimestamp();
        }

        Built built;
        try
        {
            built = await entry.Build.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (gate)
            {
                entry.Leases--;
                if (entry.Build.IsFaulted && entries.TryGetValue(key, out var current) && current == entry)
                {
                    entries.Remove(key);
                }
            }

            throw;
        }

        lock (gate)
        {
            if (!entry.Counted && entries.TryGetValue(key, out var current) && current == entry)
            {
                entry.Counted = true;
                heldBytes += built.Bytes;
            }
        }

        Evict();
        return new SnapshotLease(built.Directory, sha, subPath, () => Release(entry)) { Oversized = built.Oversized };
    }

    private void Release(Entry entry)
    {
        lock (gate)
        {
            entry.Leases--;
            entry.LastUsed = Stopwatch.GetTimestamp();
        }

        Evict();
    }

    private void Evict()
    {
        var victims = new List<string>();
        lock (gate)
        {
            while (heldBytes > options.MaxSnapshotDiskBytes)
            {
                var victim = entries.Values
                    .Where(e => e.Leases == 0 && e.Build.IsCompletedSuccessfully)
                    .MinBy(e => e.LastUsed);
                if (victim is null)
                {
                    break;
                }

                entries.Remove(victim.Key);
                heldBytes -= victim.Counted ? victim.Build.Result.Bytes : 0;
                victims.Add(victim.Build.Result.Directory);
            }
        }

        foreach (var directory in victims)
        {
            try
            {
                SnapshotWriter.Delete(directory);
            }
            catch (IOException e)
            {
                LogEvictFailed(logger, directory, e.Message);
            }
        }
    }

    private Built Build(Mirror mirror, string sha, string? subPath)
    {
        var started = Stopwatch.GetTimestamp();
        var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var temp = Path.Combine(root, ".tmp-" + name);
        var final = Path.Combine(root, name);
        try
        {
            using var repo = mirror.Open();
            var commit = repo.Lookup<Commit>(sha) ?? throw new GitSourceException(GitSourceErrorKind.RevisionNotFound,
                $"commit {sha} is not in the cache of {mirror.Url}");
            // Whole-repository snapshots serve every app of the repository: an oversized file fails only the apps
            // whose path holds it (SnapshotLease.Oversized), not all of them.
            var writer = new SnapshotWriter(options, temp, skipOversized: subPath is null, scope: subPath);
            var materializer = new TreeMaterializer(writer);
            if (subPath is null)
            {
                materializer.Write(commit.Tree, "");
            }
            else
            {
                if (trees.FindDirectory(repo, commit.Tree, subPath) is not { } directory)
                {
                    throw new GitSourceException(GitSourceErrorKind.PathNotFound,
                        $"path '{subPath}' is not a directory in commit {sha} of {mirror.Url}");
                }

                materializer.Write(repo.Lookup<Tree>(directory), subPath);
            }

            Directory.Move(temp, final);
            LogBuilt(logger, mirror.Url.Normalized, sha, subPath ?? "", writer.Bytes,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return new Built(final, writer.Bytes, writer.Oversized);
        }
        catch
        {
            SnapshotWriter.Delete(temp);
            throw;
        }
    }

    /// <summary>Validates and normalises a sub-path: relative, '/'-separated, no '..'; null for the root.</summary>
    public static string? NormalizeSubPath(string? subPath)
    {
        if (string.IsNullOrWhiteSpace(subPath))
        {
            return null;
        }

        var parts = subPath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p != ".").ToArray();
        if (subPath.StartsWith('/') || parts.Any(p => p == ".." || p.Equals(".git", StringComparison.OrdinalIgnoreCase)))
        {
            throw new GitSourceException(GitSourceErrorKind.UnsafeContent,
                $"path '{subPath}' must be relative to the repository root and stay inside it");
        }

        return parts.Length == 0 ? null : string.Join('/', parts);
    }

    private sealed record Built(string Directory, long Bytes, IReadOnlyList<OversizedFile> Oversized);

    private sealed class Entry(string key, Task<Built> build)
    {
        public string Key { get; } = key;

        public Task<Built> Build { get; } = build;

        public int Leases { get; set; }

        public long LastUsed { get; set; }

        /// <summary>Its bytes are in <c>heldBytes</c>.</summary>
        public bool Counted { get; set; }
    }

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Debug, Message = "Snapshot of {Repository} at {Sha} path '{SubPath}': {Bytes} bytes in {ElapsedMs} ms")]
    private static partial void LogBuilt(ILogger logger, string repository, string sha, string subPath, long bytes, double elapsedMs);

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "Snapshots under {Directory} not deleted within {Seconds} s of the stop: left for the next start to remove")]
    private static partial void LogLeftForNextStart(ILogger logger, string directory, double seconds);

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Could not remove evicted snapshot {Directory}: {Reason}")]
    private static partial void LogEvictFailed(ILogger logger, string directory, string reason);
}
