using LibGit2Sharp;
using LibGit2Sharp.Handlers;

namespace GitOps.Source;

/// <summary>
/// The one way this stage writes to a remote branch (revert, promotion): a commit computed in the mirror is
/// pushed from a scratch ref without '+', so the server refuses anything but a fast-forward (or a new branch).
/// A rejection because the branch moved is reported for a retry after a re-fetch; any other failure throws.
/// </summary>
internal static class BranchPush
{
    /// <summary>Fetches, runs <paramref name="attempt"/> (null = the branch moved: retry), up to
    /// <paramref name="maxAttempts"/> times, all under the mirror's write lock.</summary>
    public static Task<T> WithRetriesAsync<T>(Mirror mirror, string branch, string what, int maxAttempts,
        Func<CredentialsHandler?, int, (T? Result, string? Rejection)> attempt, Action<int, string> onRetry,
        CancellationToken cancellationToken) where T : class =>
        mirror.WithWriteLockAsync(async () =>
        {
            for (var number = 1; ; number++)
            {
                await mirror.FetchLockedAsync(cancellationToken).ConfigureAwait(false);
                var handler = await mirror.CredentialsHandlerAsync(cancellationToken).ConfigureAwait(false);
                var n = number;
                var (result, rejection) = await Task.Run(() => attempt(handler, n), cancellationToken).ConfigureAwait(false);
                if (result is not null)
                {
                    return result;
                }

                if (number >= maxAttempts)
                {
                    throw new GitSourceException(GitSourceErrorKind.PushRejected,
                        $"push of the {what} to {branch} of {mirror.Url} was rejected {number} times: {rejection}; the remote is unchanged");
                }

                onRetry(number, rejection ?? "");
            }
        }, cancellationToken);

    /// <summary>Pushes <paramref name="commit"/> to the branch; returns null when pushed (the mirror's branch
    /// then points at it), or why it was refused because the branch moved.</summary>
    public static string? FastForward(Mirror mirror, Repository repo, Commit commit, string branch, string what,
        CredentialsHandler? handler, Action? beforePush = null)
    {
        var scratch = "refs/gitops/push-" + Guid.NewGuid().ToString("N");
        repo.Refs.Add(scratch, commit.Id);
        string? rejection = null;
        try
        {
            beforePush?.Invoke();
            repo.Network.Push(repo.Network.Remotes["origin"], $"{scratch}:refs/heads/{branch}", new PushOptions
            {
                CredentialsProvider = handler,
                OnPushStatusError = e => rejection = e.Message ?? "rejected",
            });
        }
        catch (NonFastForwardException)
        {
            return "the branch moved (non-fast-forward)";
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
                return rejection;
            }

            throw new GitSourceException(GitSourceErrorKind.PushRejected,
                $"the remote rejected the {what} push to {branch} of {mirror.Url}: {rejection}");
        }

        if (repo.Refs["refs/heads/" + branch] is { } local)
        {
            repo.Refs.UpdateTarget(local, commit.Id);
        }
        else
        {
            repo.Refs.Add("refs/heads/" + branch, commit.Id);
        }

        return null;
    }

    /// <summary>"refs/heads/x" or "x" → "x", refusing names git would not accept.</summary>
    public static string BranchName(string value)
    {
        var branch = value.StartsWith("refs/heads/", StringComparison.Ordinal) ? value["refs/heads/".Length..] : value;
        return Reference.IsValidName("refs/heads/" + branch)
            ? branch
            : throw new GitSourceException(GitSourceErrorKind.RevisionNotFound, $"'{value}' is not a valid branch name");
    }
}
