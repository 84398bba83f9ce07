using LibGit2Sharp;
using LibGit2Sharp.Handlers;
using Microsoft.Extensions.Logging;

namespace GitOps.Source;

/// <summary>
/// Promotion by commit: the stage branch gets one new commit whose tree is the promoted revision's tree and
/// whose only parent is the branch's previous head (none on the first promotion: the branch starts as an
/// orphan, so its first-parent log is exactly the promotions and reverts). Computed in the mirror without a
/// working tree and pushed as a fast-forward; a push raced by someone else is retried after a re-fetch.
/// Never a force push, never a merge: <c>git log BRANCH</c> is the audit trail and <c>git revert</c> undoes one.
/// </summary>
internal sealed partial class Promoter(TimeProvider clock, ILogger logger)
{
    public Task<PromoteResult> PromoteAsync(Mirror mirror, PromoteRequest request, CancellationToken cancellationToken)
    {
        var branch = BranchPush.BranchName(request.Branch);
        return BranchPush.WithRetriesAsync<PromoteResult>(mirror, branch, "promotion", request.MaxAttempts, (handler, attempt) =>
            {
                var outcome = Attempt(mirror, request, branch, handler, clock.GetLocalNow());
                if (outcome.Result is { Created: true } result)
                {
                    LogPromoted(logger, mirror.Url.Normalized, branch, request.Sha, result.CommitSha, attempt);
                }

                return (outcome.Result, outcome.Rejection);
            },
            (attempt, reason) => LogRetry(logger, mirror.Url.Normalized, branch, attempt, reason),
            cancellationToken);
    }

    /// <summary>The commit, the tags that point at it, and the trailers of its message.</summary>
    public static CommitDescription? Describe(Repository repo, string sha)
    {
        if (repo.Lookup<Commit>(sha) is not { } commit)
        {
            return null;
        }

        var tags = repo.Tags
            .Where(t => t.PeeledTarget is Commit c && c.Sha == commit.Sha)
            .Select(t => t.FriendlyName)
            .OrderByDescending(t => Primitives.SemVersion.TryParse(t) is not null)
            .ThenByDescending(t => t, StringComparer.Ordinal)
            .ToList();
        return new CommitDescription(commit.Sha, commit.MessageShort, commit.Message, commit.Author.Name,
            commit.Author.When, tags, Trailers(commit.Message), commit.Tree.Sha);
    }

    /// <summary>First-parent history of a branch, newest first (empty when the branch does not exist).</summary>
    public static IReadOnlyList<CommitDescription> Log(Repository repo, string branch, int max)
    {
        if (repo.Refs["refs/heads/" + BranchPush.BranchName(branch)]?.ResolveToDirectReference()?.Target.Peel<Commit>() is not { } tip)
        {
            return [];
        }

        return [.. repo.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = tip, FirstParentOnly = true })
            .Take(max)
            .Select(c => Describe(repo, c.Sha)!)];
    }

    /// <summary>"Key: value" lines of the message's last paragraph (git's trailers).</summary>
    public static IReadOnlyDictionary<string, string> Trailers(string message)
    {
        var paragraphs = message.TrimEnd().Split("\n\n");
        var trailers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (paragraphs.Length < 2)
        {
            return trailers;
        }

        foreach (var line in paragraphs[^1].Split('\n'))
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0 && !line[..colon].Contains(' ', StringComparison.Ordinal))
            {
                trailers[line[..colon]] = line[(colon + 2)..].Trim();
            }
        }

        return trailers;
    }

    private static Outcome Attempt(Mirror mirror, PromoteRequest request, string branch, CredentialsHandler? handler,
        DateTimeOffset now)
    {
        using var repo = mirror.Open();
        var revision = repo.Lookup<Commit>(request.Sha)
            ?? throw new GitSourceException(GitSourceErrorKind.RevisionNotFound, $"commit {request.Sha} not found in {mirror.Url}");
        var tip = repo.Refs["refs/heads/" + branch]?.ResolveToDirectReference()?.Target.Peel<Commit>();
        if (request.ExpectedHead is { } expected && tip?.Sha != (expected.Length == 0 ? null : expected))
        {
            throw new GitSourceException(GitSourceErrorKind.Conflict,
                $"{branch} moved to {tip?.Sha[..10] ?? "nothing"} since the promotion was decided (expected {(expected.Length == 0 ? "no branch" : expected[..Math.Min(10, expected.Length)])}); nothing was pushed");
        }

        // Idempotent: the stage already runs this tree (a retry after a lost answer, or a restart).
        if (tip is not null && tip.Tree.Sha == revision.Tree.Sha)
        {
            return new Outcome(new PromoteResult(branch, tip.Sha, Created: false), null);
        }

        var signature = new Signature(request.AuthorName, request.AuthorEmail, now);
        var commit = repo.ObjectDatabase.CreateCommit(signature, signature, request.Message, revision.Tree,
            tip is null ? [] : [tip], prettifyMessage: false);

        if (BranchPush.FastForward(mirror, repo, commit, branch, "promotion", handler) is { } rejection)
        {
            return new Outcome(null, rejection);
        }

        return new Outcome(new PromoteResult(branch, commit.Sha, Created: true), null);
    }

    private sealed record Outcome(PromoteResult? Result, string? Rejection);

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "Promoted {Revision} to {Branch} of {Repository}: commit {Sha} (attempt {Attempt})")]
    private static partial void LogPromoted(ILogger logger, string repository, string branch, string revision, string sha, int attempt);

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Promotion push to {Branch} of {Repository} rejected on attempt {Attempt}: {Reason}; re-fetching")]
    private static partial void LogRetry(ILogger logger, string repository, string branch, int attempt, string reason);
}
