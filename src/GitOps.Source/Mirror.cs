using LibGit2Sharp;
using LibGit2Sharp.Handlers;
using Microsoft.Extensions.Logging;

namespace GitOps.Source;

/// <summary>
/// One bare mirror of one remote. Writers (fetch, revert) hold <see cref="writeGate"/>; readers open their
/// own <see cref="Repository"/> handle and never wait: libgit2 writes packs and refs atomically.
/// </summary>
internal sealed partial class Mirror(RepositoryUrl url, string path, ICredentialsSource credentials, ILogger logger)
    : IDisposable
{
    private const string Origin = "origin";
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly MirrorReader reader = new(path);
    private long fetchRequests;
    private long fetchesCovered = -1;
    private long lastHeadCheck;

    private static readonly TimeSpan HeadCheckInterval = TimeSpan.FromMinutes(3);

    // Resolutions of revisions against the refs as they were at a generation; any ref change moves the generation.
    private const int ResolutionLimit = 4096;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Generation, ResolvedRevision Resolved)> resolutions =
        new(StringComparer.Ordinal);
    private long refsGeneration;

    public RepositoryUrl Url { get; } = url;

    public string Path { get; } = path;

    public bool Exists => Directory.Exists(System.IO.Path.Combine(Path, "refs"));

    /// <summary>A new handle for reading; each caller owns and disposes its own.</summary>
    public Repository Open() => new(Path);

    /// <summary>Runs a short lookup on the mirror's kept handle (see <see cref="MirrorReader"/>).</summary>
    public T Read<T>(Func<Repository, T> lookup) => reader.Read(Volatile.Read(ref refsGeneration), lookup);

    public void Dispose()
    {
        reader.Dispose();
        writeGate.Dispose();
    }

    /// <summary>Runs <paramref name="action"/> with the mirror's write lock held.</summary>
    public async Task<T> WithWriteLockAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await action().ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Increment(ref refsGeneration); // a writer may have moved any ref
            writeGate.Release();
        }
    }

    /// <summary>Resolves against the local refs, reusing the answer while no ref has changed since (every writer
    /// moves the generation after writing, so an answer computed from older refs is never served).</summary>
    public ResolvedRevision? Resolve(string revision)
    {
        var generation = Volatile.Read(ref refsGeneration);
        if (resolutions.TryGetValue(revision, out var known) && known.Generation == generation)
        {
            return known.Resolved;
        }

        if (!Exists)
        {
            return null;
        }

        ResolvedRevision? resolved;
        using (var repo = Open())
        {
            resolved = RevisionResolver.Resolve(repo, revision);
        }

        if (resolved is not null)
        {
            if (resolutions.Count >= ResolutionLimit)
            {
                resolutions.Clear(); // old commits' SHAs pile up over time; recomputing is cheap
            }

            resolutions[revision] = (generation, resolved);
        }

        return resolved;
    }

    /// <summary>Whether <see cref="Resolve"/> can answer without opening the repository.</summary>
    public bool TryResolveCached(string revision, out ResolvedRevision? resolved)
    {
        resolved = resolutions.TryGetValue(revision, out var known) && known.Generation == Volatile.Read(ref refsGeneration)
            ? known.Resolved
            : null;
        return resolved is not null;
    }

    /// <summary>
    /// Fetches, coalescing callers: a caller waiting behind a fetch that started after its request reuses
    /// that fetch's result instead of fetching again.
    /// </summary>
    public async Task<FetchResult> FetchAsync(CancellationToken cancellationToken)
    {
        var ticket = Interlocked.Increment(ref fetchRequests);
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref fetchesCovered) >= ticket)
            {
                return new FetchResult(Url, [], Fetched: false);
            }

            var covers = Volatile.Read(ref fetchRequests);
            var result = await FetchLockedAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref fetchesCovered, covers);
            return result;
        }
        finally
        {
            writeGate.Release();
        }
    }

    /// <summary>Fetch body; the caller holds the write lock.</summary>
    public async Task<FetchResult> FetchLockedAsync(CancellationToken cancellationToken)
    {
        var handler = await CredentialsHandlerAsync(cancellationToken).ConfigureAwait(false);
        return await Task.Run(() => Fetch(handler, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Remote refs against local ones without downloading objects.</summary>
    public async Task<IReadOnlyList<RefChange>> PollAsync(CancellationToken cancellationToken)
    {
        var handler = await CredentialsHandlerAsync(cancellationToken).ConfigureAwait(false);
        return await Task.Run(() =>
        {
            if (!Exists)
            {
                var remote = ListRemote(null, handler);
                return (IReadOnlyList<RefChange>)[.. remote.Refs.Select(r => new RefChange(r.Key, null, r.Value))];
            }

            using var repo = Open();
            var (refs, _) = ListRemote(repo, handler);
            return Diff(LocalRefs(repo), refs);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CredentialsHandler?> CredentialsHandlerAsync(CancellationToken cancellationToken)
    {
        if (Url.Transport == GitTransport.File)
        {
            return null;
        }

        var found = Url.EmbeddedCredentials ?? await credentials.GetAsync(Url, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return null;
        }

        return (_, _, _) => new UsernamePasswordCredentials { Username = found.Username, Password = found.Password };
    }

    /// <summary>Maps a libgit2 failure to a clear, credential-free error.</summary>
    public GitSourceException Translate(Exception error, string operation)
    {
        if (error is GitSourceException own)
        {
            return own;
        }

        var message = error.Message;
        var kind = message.Contains("401", StringComparison.Ordinal) ||
                   message.Contains("403", StringComparison.Ordinal) ||
                   message.Contains("authentication", StringComparison.OrdinalIgnoreCase) ||
                   message.Contains("credentials", StringComparison.OrdinalIgnoreCase)
            ? GitSourceErrorKind.Authentication
            : GitSourceErrorKind.Network;
        var hint = kind == GitSourceErrorKind.Authentication
            ? " (check the repository credentials)"
            : "";
        return new GitSourceException(kind, $"{operation} {Url} failed: {message}{hint}", error);
    }

    private FetchResult Fetch(CredentialsHandler? handler, CancellationToken cancellationToken)
    {
        EnsureCreated();
        using var repo = Open();
        var before = LocalRefs(repo);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            // No ls-remote first: libgit2 only downloads a pack when some ref moved, so an up-to-date fetch
            // costs one ref advertisement, the same as a pre-check would.
            var options = new FetchOptions
            {
                Prune = true,
                TagFetchMode = TagFetchMode.None,
                CredentialsProvider = handler,
                OnTransferProgress = _ => !cancellationToken.IsCancellationRequested,
            };
            Commands.Fetch(repo, Origin, [], options, null);
        }
        catch (LibGit2SharpException e)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw Translate(e, "fetching");
        }

        var headBefore = repo.Refs.Head?.TargetIdentifier;
        FollowRemoteHead(repo, handler);
        var changes = Diff(before, LocalRefs(repo));
        if (changes.Count > 0 || repo.Refs.Head?.TargetIdentifier != headBefore)
        {
            Interlocked.Increment(ref refsGeneration);
        }

        if (changes.Count > 0)
        {
            LogFetched(logger, Url.Normalized, changes.Count,
                System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return new FetchResult(Url, changes, Fetched: changes.Count > 0);
    }

    /// <summary>
    /// Points our HEAD where the remote's points (a renamed default branch). Asked on the first fetch, when our
    /// HEAD's branch disappeared, and otherwise at most every <see cref="HeadCheckInterval"/>.
    /// </summary>
    private void FollowRemoteHead(Repository repo, CredentialsHandler? handler)
    {
        var localHead = repo.Refs.Head is SymbolicReference head ? head.TargetIdentifier : null;
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        var due = lastHeadCheck == 0 || localHead is null || repo.Refs[localHead] is null ||
                  System.Diagnostics.Stopwatch.GetElapsedTime(lastHeadCheck, now) > HeadCheckInterval;
        if (!due)
        {
            return;
        }

        string? target;
        try
        {
            target = ListRemote(repo, handler).HeadTarget;
        }
        catch (LibGit2SharpException e)
        {
            throw Translate(e, "listing refs of");
        }

        lastHeadCheck = now;
        if (target is not null && target != localHead && repo.Refs[target] is not null)
        {
            repo.Refs.UpdateTarget("HEAD", target);
        }
    }

    private void EnsureCreated()
    {
        if (Exists)
        {
            return;
        }

        // Build beside the final place and rename, so a crash never leaves a half-made mirror.
        var temp = Path + ".tmp-" + Guid.NewGuid().ToString("N");
        Repository.Init(temp, isBare: true);
        using (var repo = new Repository(temp))
        {
            repo.Network.Remotes.Add(Origin, Url.RemoteUrl, "+refs/heads/*:refs/heads/*");
            repo.Network.Remotes.Update(Origin, r => r.FetchRefSpecs.Add("+refs/tags/*:refs/tags/*"));
            repo.Config.Set("core.logAllRefUpdates", false);
        }

        Directory.Move(temp, Path);
    }

    private (IReadOnlyDictionary<string, string> Refs, string? HeadTarget) ListRemote(Repository? repo,
        CredentialsHandler? handler)
    {
        IEnumerable<Reference> listed;
        if (repo is null)
        {
            var temp = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gitops-ls-" + Guid.NewGuid().ToString("N"));
            Repository.Init(temp, isBare: true);
            try
            {
                using var scratch = new Repository(temp);
                listed = [.. handler is null
                    ? scratch.Network.ListReferences(Url.RemoteUrl)
                    : scratch.Network.ListReferences(Url.RemoteUrl, handler)];
            }
            finally
            {
                Directory.Delete(temp, recursive: true);
            }
        }
        else
        {
            var remote = repo.Network.Remotes[Origin];
            listed = [.. handler is null ? repo.Network.ListReferences(remote) : repo.Network.ListReferences(remote, handler)];
        }

        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        string? headTarget = null;
        foreach (var reference in listed)
        {
            if (reference.CanonicalName == "HEAD")
            {
                headTarget = (reference as SymbolicReference)?.TargetIdentifier;
                continue;
            }

            if (reference.CanonicalName.EndsWith("^{}", StringComparison.Ordinal) ||
                !(reference.CanonicalName.StartsWith("refs/heads/", StringComparison.Ordinal) ||
                  reference.CanonicalName.StartsWith("refs/tags/", StringComparison.Ordinal)))
            {
                continue;
            }

            if (reference is DirectReference direct)
            {
                refs[reference.CanonicalName] = direct.TargetIdentifier;
            }
        }

        return (refs, headTarget);
    }

    internal static Dictionary<string, string> LocalRefs(Repository repo)
    {
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var reference in repo.Refs)
        {
            if (reference is DirectReference direct &&
                (reference.CanonicalName.StartsWith("refs/heads/", StringComparison.Ordinal) ||
                 reference.CanonicalName.StartsWith("refs/tags/", StringComparison.Ordinal)))
            {
                refs[reference.CanonicalName] = direct.TargetIdentifier;
            }
        }

        return refs;
    }

    private static List<RefChange> Diff(IReadOnlyDictionary<string, string> before,
        IReadOnlyDictionary<string, string> after)
    {
        var changes = new List<RefChange>();
        foreach (var (name, sha) in after)
        {
            if (!before.TryGetValue(name, out var old) || old != sha)
            {
                changes.Add(new RefChange(name, old, sha));
            }
        }

        changes.AddRange(before.Where(b => !after.ContainsKey(b.Key)).Select(b => new RefChange(b.Key, b.Value, null)));
        changes.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return changes;
    }

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "Fetched {Repository}: {ChangedRefs} refs changed in {ElapsedMs} ms")]
    private static partial void LogFetched(ILogger logger, string repository, int changedRefs, double elapsedMs);
}
