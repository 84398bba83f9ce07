using GitOps.Source;

namespace GitOps.Controller.Promotion;

/// <summary><see cref="IPromotionGit"/> over GitOps.Source: the same repository cache the apps read, so a
/// promotion pushed here is what the stage's app resolves next.</summary>
internal sealed class GitPromotionSource(IGitSource git) : IPromotionGit
{
    public async Task<PromotionCommit> PromoteAsync(string repoUrl, string branch, string sha, string message,
        CancellationToken cancellationToken)
    {
        var result = await git.PromoteAsync(new PromoteRequest
        {
            RepositoryUrl = repoUrl,
            Branch = branch,
            Sha = sha,
            Message = message,
            AuthorName = "gitops pipeline",
        }, cancellationToken);
        return new PromotionCommit(result.CommitSha, result.Created);
    }

    public async Task<string> RevertAsync(string repoUrl, string branch, string commit, string messageTemplate,
        CancellationToken cancellationToken)
    {
        var result = await git.RevertAsync(new RevertRequest
        {
            RepositoryUrl = repoUrl,
            Branch = branch,
            Commit = commit,
            AuthorName = "gitops pipeline",
            MessageTemplate = messageTemplate,
        }, cancellationToken);
        return result.NewHeadSha;
    }

    public async Task<CommitInfo?> DescribeAsync(string repoUrl, string sha, CancellationToken cancellationToken) =>
        await git.DescribeAsync(repoUrl, sha, cancellationToken) is { } commit ? Map(commit) : null;

    public async Task<IReadOnlyList<CommitInfo>> LogAsync(string repoUrl, string branch, int max, CancellationToken cancellationToken) =>
        [.. (await git.LogAsync(repoUrl, branch, max, cancellationToken)).Select(Map)];

    private static CommitInfo Map(CommitDescription c) =>
        new(c.Sha, c.Subject, c.Message, c.AuthorName, c.Date, c.Tags, c.Trailers);
}
