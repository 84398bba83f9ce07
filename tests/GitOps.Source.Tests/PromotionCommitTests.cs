namespace GitOps.Source.Tests;

/// <summary>Promotion commits: a stage branch gets one fast-forward commit whose tree is the promoted revision's.</summary>
public sealed class PromotionCommitTests : IDisposable
{
    private readonly SourceHarness h = new();

    public void Dispose() => h.Dispose();

    private PromoteRequest Request(string sha, string message = "Promote\n\nGitops-Revision: x\n") => new()
    {
        RepositoryUrl = h.Url,
        Branch = "env/prod",
        Sha = sha,
        Message = message,
        AuthorName = "Pipeline Bot",
        AuthorEmail = "bot@example.com",
    };

    [Fact]
    public async Task First_promotion_creates_the_branch_as_one_orphan_commit_with_the_revisions_tree()
    {
        h.Repo.CommitFiles("base", ("k8s/prod/a.yaml", "v0\n"));
        var v1 = h.Repo.CommitFiles("v1", ("k8s/prod/a.yaml", "v1\n"));
        h.Repo.Git("tag", "v1.0.0");
        h.Repo.Push("main", "--tags");

        var result = await h.Source.PromoteAsync(Request(v1, "Promote v1.0.0\n\nGitops-Revision: " + v1 + "\nGitops-Tag: v1.0.0\n"), SourceHarness.Timeout);

        Assert.True(result.Created);
        Assert.Equal(result.CommitSha, h.Repo.GitRemote("rev-parse", "refs/heads/env/prod"));
        Assert.Equal(h.Repo.GitRemote("rev-parse", v1 + "^{tree}"), h.Repo.GitRemote("rev-parse", "env/prod^{tree}"));
        Assert.Equal("", h.Repo.GitRemote("log", "-1", "--format=%P", "env/prod"));
        Assert.Equal("Pipeline Bot <bot@example.com>", h.Repo.GitRemote("log", "-1", "--format=%an <%ae>", "env/prod"));
        var described = await h.Source.DescribeAsync(h.Url, result.CommitSha, SourceHarness.Timeout);
        Assert.Equal(v1, described!.Trailers["Gitops-Revision"]);
        Assert.Equal(["v1.0.0"], (await h.Source.DescribeAsync(h.Url, v1, SourceHarness.Timeout))!.Tags);
    }

    [Fact]
    public async Task Later_promotions_fast_forward_on_the_previous_head_and_the_same_tree_is_a_no_op()
    {
        var v1 = h.Repo.CommitFiles("v1", ("a", "1\n"));
        var v2 = h.Repo.CommitFiles("v2", ("a", "2\n"));
        h.Repo.Push("main");
        var first = await h.Source.PromoteAsync(Request(v1), SourceHarness.Timeout);

        var second = await h.Source.PromoteAsync(Request(v2) with { ExpectedHead = first.CommitSha }, SourceHarness.Timeout);
        var again = await h.Source.PromoteAsync(Request(v2), SourceHarness.Timeout);

        Assert.True(second.Created);
        Assert.Equal(first.CommitSha, h.Repo.GitRemote("log", "-1", "--format=%P", "env/prod"));
        Assert.Equal("2", h.Repo.GitRemote("show", "env/prod:a"));
        Assert.False(again.Created);
        Assert.Equal(second.CommitSha, again.CommitSha);
        var log = await h.Source.LogAsync(h.Url, "env/prod", 10, SourceHarness.Timeout);
        Assert.Equal([second.CommitSha, first.CommitSha], log.Select(c => c.Sha));
    }

    [Fact]
    public async Task A_promotion_decided_on_a_head_that_moved_is_refused_and_pushes_nothing()
    {
        var v1 = h.Repo.CommitFiles("v1", ("a", "1\n"));
        var v2 = h.Repo.CommitFiles("v2", ("a", "2\n"));
        h.Repo.Push("main");
        var first = await h.Source.PromoteAsync(Request(v1), SourceHarness.Timeout);

        var e = await Assert.ThrowsAsync<GitSourceException>(() =>
            h.Source.PromoteAsync(Request(v2) with { ExpectedHead = "" }, SourceHarness.Timeout));

        Assert.Equal(GitSourceErrorKind.Conflict, e.Kind);
        Assert.Equal(first.CommitSha, h.Repo.GitRemote("rev-parse", "refs/heads/env/prod"));
    }
}
