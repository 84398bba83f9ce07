using System.Collections.Concurrent;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;

namespace GitOps.Source;

/// <summary>
/// The repository cache: bare mirrors under <c>CacheDirectory/mirrors</c>, snapshots under
/// <c>CacheDirectory/snapshots</c>. Thread-safe; create one per process.
/// </summary>
public sealed class GitSource : IGitSource, IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Mirror>> mirrors = new(StringComparer.Ordinal);
    private readonly string mirrorRoot;
    private readonly ICredentialsSource credentials;
    private readonly SnapshotStore snapshots;
    private readonly Reverter reverter;
    private readonly Promoter promoter;
    private readonly ILogger logger;

    /// <param name="options">Cache location and limits.</param>
    /// <param name="logger">Structured log; never receives credentials.</param>
    /// <param name="credentials">The caller's credentials (e.g. Kubernetes Secrets); the options' file is asked after it.</param>
    /// <param name="clock">Time of revert commits (the system clock when null).</param>
    public GitSource(GitSourceOptions options, ILogger<GitSource> logger, ICredentialsSource? credentials = null,
        TimeProvider? clock = null)
        : this(options, logger, credentials, clock, beforeRevertPush: null)
    {
    }

    /// <param name="beforeRevertPush">Runs before each revert push attempt, after the revert was computed on a fresh
    /// fetch: the moment another pusher can race it (tests push a competing commit there).</param>
    internal GitSource(GitSourceOptions options, ILogger<GitSource> logger, ICredentialsSource? credentials,
        TimeProvider? clock, Action<int>? beforeRevertPush)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.logger = logger;
        if (!LargeTreeCache.Enable())
        {
            logger.LogInformation("Git: libgit2's object cache limit could not be raised; large directories are parsed on every lookup");
        }

        mirrorRoot = Path.Combine(options.CacheDirectory, "mirrors");
        Directory.CreateDirectory(mirrorRoot);
        var chain = new List<ICredentialsSource>();
        if (credentials is not null)
        {
            chain.Add(credentials);
        }

        if (options.CredentialsFile is { Length: > 0 } file)
        {
            chain.Add(new CredentialsFile(file));
        }

        this.credentials = new ChainedCredentialsSource(chain);
        snapshots = new SnapshotStore(options, logger);
        reverter = new Reverter(clock ?? TimeProvider.System, logger, beforeRevertPush);
        promoter = new Promoter(clock ?? TimeProvider.System, logger);
    }

    /// <summary>Bytes currently held by snapshots on disk.</summary>
    public long SnapshotDiskBytes => snapshots.DiskBytes;

    public Task<IReadOnlyList<RefChange>> PollAsync(string repositoryUrl, CancellationToken cancellationToken)
    {
        var mirror = GetMirror(repositoryUrl);
        return Guard(mirror, "polling", () => mirror.PollAsync(cancellationToken));
    }

    public Task<FetchResult> FetchAsync(string repositoryUrl, CancellationToken cancellationToken)
    {
        var mirror = GetMirror(repositoryUrl);
        return Guard(mirror, "fetching", () => mirror.FetchAsync(cancellationToken));
    }

    public async Task<ResolvedRevision> ResolveAsync(string repositoryUrl, string revision, bool refresh,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var mirror = GetMirror(repositoryUrl);
        var rev = revision.Trim();
        // A full SHA never moves: no need to ask the remote when we already have it.
        var fetched = false;
        if (!mirror.Exists || (refresh && !(RevisionResolver.IsFullSha(rev) && await HasCommitAsync(mirror, rev))))
        {
            await FetchAsync(repositoryUrl, cancellationToken).ConfigureAwait(false);
            fetched = true;
        }

        var resolved = await ResolveLocalAsync(mirror, rev, cancellationToken).ConfigureAwait(false);
        if (resolved is null && !fetched)
        {
            await FetchAsync(repositoryUrl, cancellationToken).ConfigureAwait(false);
            resolved = await ResolveLocalAsync(mirror, rev, cancellationToken).ConfigureAwait(false);
        }

        return resolved ?? throw new GitSourceException(GitSourceErrorKind.RevisionNotFound,
            $"revision '{rev}' not found in {mirror.Url} (no such branch, tag, commit or matching semver tag)");
    }

    public async Task<IReadOnlyList<string>> GetChangedPathsAsync(string repositoryUrl, string fromSha, string toSha,
        CancellationToken cancellationToken)
    {
        var mirror = GetMirror(repositoryUrl);
        var to = await ResolveAsync(repositoryUrl, toSha, refresh: false, cancellationToken).ConfigureAwait(false);
        var from = string.IsNullOrEmpty(fromSha)
            ? null
            : await ResolveAsync(repositoryUrl, fromSha, refresh: false, cancellationToken).ConfigureAwait(false);
        return await Task.Run(() =>
        {
            using var repo = mirror.Open();
            var newTree = repo.Lookup<Commit>(to.Sha).Tree;
            var oldTree = from is null ? null : repo.Lookup<Commit>(from.Sha).Tree;
            var changes = repo.Diff.Compare<TreeChanges>(oldTree, newTree);
            var paths = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var change in changes)
            {
                paths.Add(change.Path);
                if (!string.IsNullOrEmpty(change.OldPath))
                {
                    paths.Add(change.OldPath);
                }
            }

            return (IReadOnlyList<string>)[.. paths];
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> GetDirectoryIdAsync(string repositoryUrl, string sha, string? path,
        CancellationToken cancellationToken)
    {
        var subPath = SnapshotStore.NormalizeSubPath(path);
        var mirror = GetMirror(repositoryUrl);
        var commit = await ResolveAsync(repositoryUrl, sha, refresh: false, cancellationToken).ConfigureAwait(false);
        return await Task.Run(() => mirror.Read(repo =>
        {
            var tree = repo.Lookup<Commit>(commit.Sha).Tree;
            return subPath is null ? tree.Sha : snapshots.Trees.FindDirectory(repo, tree, subPath)?.Sha;
        }), cancellationToken).ConfigureAwait(false);
    }

    public async Task<SnapshotLease> GetSnapshotAsync(string repositoryUrl, string sha, string? subPath,
        CancellationToken cancellationToken)
    {
        var path = SnapshotStore.NormalizeSubPath(subPath);
        var mirror = GetMirror(repositoryUrl);
        var commit = await ResolveAsync(repositoryUrl, sha, refresh: false, cancellationToken).ConfigureAwait(false);
        return await snapshots.AcquireAsync(mirror, commit.Sha, path, cancellationToken).ConfigureAwait(false);
    }

    public Task<RevertResult> RevertAsync(RevertRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mirror = GetMirror(request.RepositoryUrl);
        return Guard(mirror, "reverting in", () => reverter.RevertAsync(mirror, request, cancellationToken));
    }

    public Task<PromoteResult> PromoteAsync(PromoteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mirror = GetMirror(request.RepositoryUrl);
        return Guard(mirror, "promoting in", () => promoter.PromoteAsync(mirror, request, cancellationToken));
    }

    public async Task<CommitDescription?> DescribeAsync(string repositoryUrl, string sha, CancellationToken cancellationToken)
    {
        var mirror = GetMirror(repositoryUrl);
        if (!mirror.Exists)
        {
            await FetchAsync(repositoryUrl, cancellationToken).ConfigureAwait(false);
        }

        return await Task.Run(() =>
        {
            using var repo = mirror.Open();
            return Promoter.Describe(repo, sha);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CommitDescription>> LogAsync(string repositoryUrl, string branch, int max,
        CancellationToken cancellationToken)
    {
        var mirror = GetMirror(repositoryUrl);
        await FetchAsync(repositoryUrl, cancellationToken).ConfigureAwait(false);
        return await Task.Run(() =>
        {
            using var repo = mirror.Open();
            return Promoter.Log(repo, branch, max);
        }, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        snapshots.Dispose();
        foreach (var mirror in mirrors.Values.Where(m => m.IsValueCreated))
        {
            mirror.Value.Dispose();
        }
    }

    internal Mirror GetMirror(string repositoryUrl)
    {
        var url = RepositoryUrl.Parse(repositoryUrl);
        return mirrors.GetOrAdd(url.Normalized, _ => new Lazy<Mirror>(
            () => new Mirror(url, Path.Combine(mirrorRoot, url.CacheKey), credentials, logger))).Value;
    }

    private static Task<bool> HasCommitAsync(Mirror mirror, string sha) => Task.Run(() =>
    {
        using var repo = mirror.Open();
        return repo.Lookup<Commit>(sha) is not null;
    });

    private static Task<ResolvedRevision?> ResolveLocalAsync(Mirror mirror, string revision,
        CancellationToken cancellationToken) =>
        mirror.TryResolveCached(revision, out var cached)
            ? Task.FromResult(cached)
            : Task.Run(() => mirror.Resolve(revision), cancellationToken);

    /// <summary>Turns stray libgit2 errors into <see cref="GitSourceException"/> with masked messages.</summary>
    private static async Task<T> Guard<T>(Mirror mirror, string operation, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (LibGit2SharpException e)
        {
            throw mirror.Translate(e, operation);
        }
    }
}
