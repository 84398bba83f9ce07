using System.Text.Json.Nodes;

namespace GitOps.Controller.Promotion;

/// <summary>Git as promotion needs it (implemented over GitOps.Source by <see cref="GitPromotionSource"/>).</summary>
internal interface IPromotionGit
{
    /// <summary>Commits <paramref name="sha"/>'s tree onto the stage branch (creating it) and pushes.</summary>
    Task<PromotionCommit> PromoteAsync(string repoUrl, string branch, string sha, string message, CancellationToken cancellationToken);

    /// <summary>Reverts one commit on the branch by a new commit (a fast-forward push) and returns the new head.</summary>
    Task<string> RevertAsync(string repoUrl, string branch, string commit, string messageTemplate, CancellationToken cancellationToken);

    /// <summary>A commit with its tags and promotion trailers; null when unknown.</summary>
    Task<CommitInfo?> DescribeAsync(string repoUrl, string sha, CancellationToken cancellationToken);

    /// <summary>The branch's first-parent history, newest first (empty when it does not exist yet).</summary>
    Task<IReadOnlyList<CommitInfo>> LogAsync(string repoUrl, string branch, int max, CancellationToken cancellationToken);
}

internal sealed record PromotionCommit(string Sha, bool Created);

/// <summary>A commit: its tags, and — for a promotion commit — the revision it promoted (from its trailers).</summary>
internal sealed record CommitInfo(string Sha, string Subject, string Message, string Author, DateTimeOffset Date,
    IReadOnlyList<string> Tags, IReadOnlyDictionary<string, string> Trailers)
{
    /// <summary>The origin revision: what a promotion commit promoted, else the commit itself.</summary>
    public string Origin => Trailers.GetValueOrDefault(PromotionMessage.RevisionTrailer) ?? Sha;

    public string? Tag => Trailers.GetValueOrDefault(PromotionMessage.TagTrailer) ?? Tags.FirstOrDefault();
}

/// <summary>Verification Jobs (implemented over the Kubernetes API by <see cref="KubernetesVerificationJobs"/>).</summary>
internal interface IVerificationJobs
{
    /// <summary>Creates the Job unless it exists (a restart re-attaches to it).</summary>
    Task StartAsync(string ns, string name, JsonObject jobSpec, IReadOnlyDictionary<string, string> labels,
        CancellationToken cancellationToken);

    /// <summary>The Job's outcome so far; null when it does not exist.</summary>
    Task<VerificationResult?> GetAsync(string ns, string name, CancellationToken cancellationToken);
}

internal enum VerificationOutcome { Running, Succeeded, Failed }

internal sealed record VerificationResult(VerificationOutcome Outcome, string Message, IReadOnlyList<string> Log);

/// <summary>Whether this replica drives promotions (the leader; always true without --leader-elect).</summary>
internal interface IPromotionScope
{
    bool Active { get; }
}

internal sealed class PromotionScope(Func<bool> active) : IPromotionScope
{
    public bool Active => active();
}
