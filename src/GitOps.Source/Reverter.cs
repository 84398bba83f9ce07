using LibGit2Sharp;
using LibGit2Sharp.Handlers;
using Microsoft.Extensions.Logging;

namespace GitOps.Source;

/// <summary>
/// Rollback by revert commits: computed in the mirror without a working tree, pushed in one ref update so
/// the remote either gets all of them or nothing. A push raced by someone else is retried after a re-fetch.
/// </summary>
internal sealed partial class Reverter(TimeProvider clock, ILogger logger, Action<int>? beforePush)
{
    public Task<RevertResult> RevertAsync(Mirror mirror, RevertRequest request, CancellationToken cancellationToken)
    {
        if ((request.Commit is null) == (request.After is null))
        {
            throw new ArgumentException("set exactly one of Commit and After", nameof(request));
        }

        var branch = request.Branch.StartsWith("refs/heads/", StringComparison.Ordinal)
            ? request.Branch["refs/heads/".Length..]
            : request.Branch;
        if (!Reference.IsValidName("refs/heads/" + branch))
        {
            throw new GitSourceException(GitSourceErrorKind.RevisionNotFound, $"'{request.Branch}' is not a valid branch name");
        }

        return mirror.WithWriteLockAsync(async () =>
        {
            for (var attempt = 1; ; attempt++)
            {
                await mirror.FetchLockedAsync(cancellationToken).ConfigureAwait(false);
                var handler = await mirror.CredentialsHandlerAsync(cancellationToken).ConfigureAwait(false);
                var number = attempt;
                var outcome = await Task.Run(() => Attempt(mirror, request, branch, handler, clock.GetLocalNow(),
                        () => beforePush?.Invoke(number)), cancellationToken)
                    .ConfigureAwait(false);
                if (outcome.Result is { } result)
                {
                    LogReverted(logger, mirror.Url.Normalized, branch, result.RevertedShas.Count, result.NewHeadSha, attempt);
                    return result with { Attempts = attempt };
                }

                if (attempt >= request.MaxAttempts)
                {
                    throw new GitSourceException(GitSourceErrorKind.PushRejected,
                        $"push of the revert to {branch} of {mirror.Url} was rejected {attempt} times: {outcome.Rejection}; the remote is unchanged");
                }

                LogRetry(logger, mirror.Url.Normalized, branch, attempt, outcome.Rejection ?? "");
            }
        }, cancellationToken);
    }

    private static Outcome Attempt(Mirror mirror, RevertRequest request, string branch, CredentialsHandler? handler,
        DateTimeOffset now, Action beforePush)
    {
        using var repo = mirror.Open();
        var tip = repo.Refs["refs/heads/" + branch]?.ResolveToDirectReference()?.Target.Peel<Commit>()
            ?? throw new GitSourceException(GitSourceErrorKind.RevisionNotFound, $"branch {branch} not found in {mirror.Url}");
        var targets = CommitsToRevert(repo, request, tip, branch);
        if (targets.Count == 0)
        {
            return new Outcome(new RevertResult(branch, tip.Sha, [], 0), null);
        }

        var signature = new Signature(request.AuthorName, request.AuthorEmail, now);
        var current = tip;
        foreach (var commit in targets)
        {
            var mainline = commit.Parents.Count() > 1 ? 1 : 0;
            var merged = repo.ObjectDatabase.RevertCommit(commit, current, mainline, new MergeTreeOptions());
            if (merged.Status != MergeTreeStatus.Succeeded)
            {
                var paths = string.Join(", ", merged.Conflicts.Select(c => (c.Ours ?? c.Theirs ?? c.Ancestor)?.Path).Take(10));
                throw new GitSourceException(GitSourceErrorKind.Conflict,
                    $"reverting {commit.Sha[..10]} (\"{commit.MessageShort}\") conflicts with later changes on {branch} in: {paths}; nothing was pushed");
            }

            var message = request.MessageTemplate
                .Replace("{subject}", commit.MessageShort, StringComparison.Ordinal)
                .Replace("{sha}", commit.Sha, StringComparison.Ordinal);
            current = repo.ObjectDatabase.CreateCommit(signature, signature, message, merged.Tree, [current],
                prettifyMessage: false);
        }

        // Push from a scratch ref (without '+', so the server refuses anything but a fast-forward).
        var scratch = "refs/gitops/revert-" + Guid.NewGuid().ToString("N");
        repo.Refs.Add(scratch, current.Id);
        string? rejection = null;
        try
        {
            beforePush();
            repo.Network.Push(repo.Network.Remotes["origin"], $"{scratch}:refs/heads/{branch}", new PushOptions
            {
                CredentialsProvider = handler,
                OnPushStatusError = e => rejection = e.Message ?? "rejected",
            });
        }
        catch (NonFastForwardException)
        {
            return new Outcome(null, "the branch moved (non-fast-forward)");
        }
        catch (LibGit2SharpException e)
        {
            throw mirror.Translate(e, "pushing to");
        }
        finally
        {
            repo.Refs.Remove(scratch);
        }

        if (rejection is not null)
        {
            if (rejection.Contains("fast-forward", StringComparison.OrdinalIgnoreCase) ||
                rejection.Contains("fetch first", StringComparison.OrdinalIgnoreCase) ||
                rejection.Contains("stale", StringComparison.OrdinalIgnoreCase))
            {
                return new Outcome(null, rejection);
            }

            throw new GitSourceException(GitSourceErrorKind.PushRejected,
                $"the remote rejected the revert push to {branch} of {mirror.Url}: {rejection}");
        }

        repo.Refs.UpdateTarget(repo.Refs["refs/heads/" + branch], current.Id);
        return new Outcome(new RevertResult(branch, current.Sha, [.. targets.Select(c => c.Sha)], 0), null);
    }

    private static List<Commit> CommitsToRevert(Repository repo, RevertRequest request, Commit tip, string branch)
    {
        var revision = request.Commit ?? request.After!;
        var resolved = RevisionResolver.Resolve(repo, revision)
            ?? throw new GitSourceException(GitSourceErrorKind.RevisionNotFound, $"revision '{revision}' not found");
        var anchor = repo.Lookup<Commit>(resolved.Sha);
        if (anchor.Sha != tip.Sha && repo.ObjectDatabase.FindMergeBase(anchor, tip)?.Sha != anchor.Sha)
        {
            throw new GitSourceException(GitSourceErrorKind.RevisionNotFound,
                $"commit {anchor.Sha[..10]} is not on branch {branch}");
        }

        if (request.Commit is not null)
        {
            return [anchor];
        }

        // Newest first, first-parent history only: a merged branch is reverted as its merge commit.
        return [.. repo.Commits.QueryBy(new CommitFilter
        {
            IncludeReachableFrom = tip,
            ExcludeReachableFrom = anchor,
            SortBy = CommitSortStrategies.Topological,
            FirstParentOnly = true,
        })];
    }

    private sealed record Outcome(RevertResult? Result, string? Rejection);

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "Reverted {Count} commits on {Branch} of {Repository}: new head {Sha} (attempt {Attempt})")]
    private static partial void LogReverted(ILogger logger, string repository, string branch, int count, string sha, int attempt);

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Revert push to {Branch} of {Repository} rejected on attempt {Attempt}: {Reason}; re-fetching")]
    private static partial void LogRetry(ILogger logger, string repository, string branch, int attempt, string reason);
}
