namespace GitOps.Source;

/// <summary>Where the cache lives and the limits it enforces.</summary>
public sealed record GitSourceOptions
{
    /// <summary>Root of the cache: bare mirrors under <c>mirrors/</c>, snapshots under <c>snapshots/</c>.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>Disk budget for snapshots; least recently used, unleased snapshots are removed past it.</summary>
    public long MaxSnapshotDiskBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Largest single file a snapshot may contain.</summary>
    public long MaxFileBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Largest total size of one snapshot.</summary>
    public long MaxSnapshotBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Most files one snapshot may contain.</summary>
    public int MaxSnapshotFiles { get; init; } = 50_000;

    /// <summary>A local credentials file (git-credential-store format), consulted after the caller's source.</summary>
    public string? CredentialsFile { get; init; }
}

/// <summary>A commit a revision resolved to.</summary>
public sealed record ResolvedRevision(
    string Sha,
    string AuthorName,
    string AuthorEmail,
    DateTimeOffset Date,
    string Subject,
    string? Reference);

/// <summary>A ref whose target moved (Old or New is null when it appeared or disappeared).</summary>
public sealed record RefChange(string Name, string? OldSha, string? NewSha);

/// <summary>Outcome of a fetch: which refs moved (<see cref="Fetched"/> is false when none did).</summary>
public sealed record FetchResult(RepositoryUrl Repository, IReadOnlyList<RefChange> Changes, bool Fetched)
{
    /// <summary>The change to one branch, if it moved.</summary>
    public RefChange? Branch(string branch) =>
        Changes.FirstOrDefault(c => c.Name == (branch.StartsWith("refs/", StringComparison.Ordinal)
            ? branch
            : "refs/heads/" + branch));
}

/// <summary>What a revert should do. Exactly one of <see cref="Commit"/> and <see cref="After"/> is set.</summary>
public sealed record RevertRequest
{
    public required string RepositoryUrl { get; init; }

    public required string Branch { get; init; }

    /// <summary>Revert this single commit (a SHA, short SHA or tag).</summary>
    public string? Commit { get; init; }

    /// <summary>Revert every commit on the branch after this revision, newest first.</summary>
    public string? After { get; init; }

    public string AuthorName { get; init; } = "gitops";

    public string AuthorEmail { get; init; } = "gitops@localhost";

    /// <summary>Message template; <c>{subject}</c> and <c>{sha}</c> are replaced.</summary>
    public string MessageTemplate { get; init; } = "Revert \"{subject}\"\n\nThis reverts commit {sha}.\n";

    /// <summary>How often to re-fetch and retry when someone pushed meanwhile.</summary>
    public int MaxAttempts { get; init; } = 3;
}

/// <summary>Result of a pushed revert.</summary>
public sealed record RevertResult(string Branch, string NewHeadSha, IReadOnlyList<string> RevertedShas, int Attempts);

/// <summary>A promotion: a commit on <see cref="Branch"/> whose tree is <see cref="Sha"/>'s tree (the branch is
/// created on the first promotion).</summary>
public sealed record PromoteRequest
{
    public required string RepositoryUrl { get; init; }

    public required string Branch { get; init; }

    /// <summary>The revision promoted (a commit of the same repository).</summary>
    public required string Sha { get; init; }

    public required string Message { get; init; }

    /// <summary>When set, the branch head the decision was made on ("" = the branch must not exist yet): a
    /// promotion onto a branch that moved meanwhile (a revert) is refused rather than stacked on it.</summary>
    public string? ExpectedHead { get; init; }

    public string AuthorName { get; init; } = "gitops";

    public string AuthorEmail { get; init; } = "gitops@localhost";

    public int MaxAttempts { get; init; } = 3;
}

/// <summary>The branch head after a promotion; <see cref="Created"/> is false when it already had that tree.</summary>
public sealed record PromoteResult(string Branch, string CommitSha, bool Created);

/// <summary>A commit as promotion reads it: subject, full message, the tags pointing at it (semver tags first,
/// highest first), its message's trailers and its tree.</summary>
public sealed record CommitDescription(
    string Sha,
    string Subject,
    string Message,
    string AuthorName,
    DateTimeOffset Date,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Trailers,
    string TreeSha);
