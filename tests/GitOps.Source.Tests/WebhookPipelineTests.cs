using System.Security.Cryptography;
using System.Text;
using GitOps.Source.Webhooks;
using GitOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Source.Tests;

/// <summary>A push to the real HTTP server, its webhook, and the apps it touched, end to end.</summary>
public sealed class WebhookPipelineTests(HttpServerFixture fixture) : IClassFixture<HttpServerFixture>, IDisposable
{
    private readonly TempGitRepository repo = TempGitRepository.Create(
        bareDirectory: fixture.Server.Directory, name: $"p{Guid.NewGuid():N}.git");

    private readonly string cache = Path.Combine(Path.GetTempPath(), "gitops-cache-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        repo.Dispose();
        Directory.Delete(cache, recursive: true);
    }

    [Fact]
    public async Task A_push_webhook_leads_to_exactly_the_touched_apps_with_fresh_snapshots()
    {
        var url = fixture.Server.UrlFor(Path.GetFileName(repo.BarePath));
        var apps = Enumerable.Range(0, 10).Select(i => $"apps/app-{i}").ToArray();
        repo.CommitFiles("apps", [.. apps.Select(a => ($"{a}/deploy.yaml", "image: v1\n"))]);
        repo.Push("main");
        using var source = new GitSource(new GitSourceOptions { CacheDirectory = cache }, NullLogger<GitSource>.Instance,
            new FixedCredentials(new GitCredentials(GitHttpServer.User, GitHttpServer.Password)));
        await source.FetchAsync(url, SourceHarness.Timeout);

        var pushed = repo.CommitFiles("bump app-7", ("apps/app-7/deploy.yaml", "image: v2\n"));
        repo.Push("main");
        var body = Encoding.UTF8.GetBytes($$$"""{"ref":"refs/heads/main","after":"{{{pushed}}}","repository":{"clone_url":"{{{url}}}"}}""");
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("s"u8, body));
        var hook = new GitWebhookHandler(new WebhookOptions { GitHubSecret = "s" }, NullLogger<GitWebhookHandler>.Instance)
            .Handle(new WebhookRequest(new Dictionary<string, string> { ["X-GitHub-Event"] = "push", ["X-Hub-Signature-256"] = signature }, body));
        Assert.True(hook.IsRefresh);

        var fetched = await source.FetchAsync(hook.RepositoryUrls![0], SourceHarness.Timeout);
        var change = Assert.IsType<RefChange>(fetched.Branch(hook.Branch!));
        Assert.Equal(pushed, change.NewSha);
        var changed = await source.GetChangedPathsAsync(url, change.OldSha!, change.NewSha!, SourceHarness.Timeout);
        var affected = apps.Where(a => ChangeDetection.IsAffected(a, changed)).ToArray();
        Assert.Equal(["apps/app-7"], affected);
        using var lease = await source.GetSnapshotAsync(url, change.NewSha!, affected[0], SourceHarness.Timeout);
        Assert.Equal("image: v2\n", await File.ReadAllTextAsync(Path.Combine(lease.Path, "deploy.yaml")));
    }
}
