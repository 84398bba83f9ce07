namespace GitOps.Source;

/// <summary>
/// The source stage: a cache of bare mirrors, one per normalised repository URL. Reads (resolve, diff,
/// snapshots) run in parallel; fetches of one repository are serialised and coalesced.
/// </summary>
public interface IGitSource
{
    /// <summary>Remote refs compared with the mirror, without downloading objects (ls-remote).</summary>
    Task<IReadOnlyList<RefChange>> PollAsync(string repositoryUrl, CancellationToken cancellationToken);

    /// <summary>Brings the mirror up to date; downloads only when a ref moved, and reports which did.</summary>
    Task<FetchResult> FetchAsync(string repositoryUrl, CancellationToken cancellationToken);

    /// <summary>
    /// Resolves a branch, tag, full or short SHA, <c>HEAD</c> or a semver range over tags. With
    /// <paramref name="refresh"/>, fetches first unless the revision is a full SHA already present.
    /// </summary>
    Task<ResolvedRevision> ResolveAsync(string repositoryUrl, string revision, bool refresh,
        CancellationToken cancellationToken);

    /// <summary>Paths changed between two commits (both sides of renames), repository-relative with '/'.</summary>
    Task<IReadOnlyList<string>> GetChangedPathsAsync(string repositoryUrl, string fromSha, string toSha,
        CancellationToken cancellationToken);

    /// <summary>The id of the directory <paramref name="path"/> (null or "" for the root) in the commit
    /// <paramref name="sha"/> the mirror already has: equal ids are equal contents. Null when the path is not a
    /// directory there.</summary>
    Task<string?> GetDirectoryIdAsync(string repositoryUrl, string sha, string? path, CancellationToken cancellationToken);

    /// <summary>
    /// An immutable directory holding the tree of <paramref name="sha"/> (only <paramref name="subPath"/> when
    /// given, at its repository-relative place). Dispose the lease when done reading.
    /// </summary>
    Task<SnapshotLease> GetSnapshotAsync(string repositoryUrl, string sha, string? subPath,
        CancellationToken cancellationToken);

    /// <summary>Creates revert commits on a branch and pushes them.</summary>
    Task<RevertResult> RevertAsync(RevertRequest request, CancellationToken cancellationToken);

    /// <summary>Adds a commit with the revision's tree on a stage branch (created when missing) and pushes it as a
    /// fast-forward; a no-op when the branch head already has that tree.</summary>
    Task<PromoteResult> PromoteAsync(PromoteRequest request, CancellationToken cancellationToken);

    /// <summary>A commit of the mirror with its tags and trailers, or null when the mirror lacks it.</summary>
    Task<CommitDescription?> DescribeAsync(string repositoryUrl, string sha, CancellationToken cancellationToken);

    /// <summary>The first-parent history of a branch, newest first, at most <paramref name="max"/> commits (after a
    /// fetch); empty when the branch does not exist.</summary>
    Task<IReadOnlyList<CommitDescription>> LogAsync(string repositoryUrl, string branch, int max,
        CancellationToken cancellationToken);
}
