using GitOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Source.Tests;

/// <summary>One lighttpd + git http-backend server for the class; each test gets its own repository on it.</summary>
public sealed class HttpServerFixture : IDisposable
{
    public GitHttpServer Server { get; } = GitHttpServer.Start();

    public void Dispose() => Server.Dispose();
}

public sealed class HttpTransportTests(HttpServerFixture fixture) : IClassFixture<HttpServerFixture>, IDisposable
{
    private readonly TempGitRepository repo = TempGitRepository.Create(
        bareDirectory: fixture.Server.Directory, name: $"r{Guid.NewGuid():N}.git");

    private readonly string cache = Path.Combine(Path.GetTempPath(), "gitops-cache-" + Guid.NewGuid().ToString("N"));

    private string Url => fixture.Server.UrlFor(Path.GetFileName(repo.BarePath));

    public void Dispose()
    {
        repo.Dispose();
        Directory.Delete(cache, recursive: true);
    }

    private GitSource Source(ICredentialsSource? credentials = null, string? credentialsFile = null) =>
        new(new GitSourceOptions { CacheDirectory = cache, CredentialsFile = credentialsFile },
            NullLogger<GitSource>.Instance, credentials);

    private string Seed()
    {
        var sha = repo.CommitFiles("one", ("apps/a/app.yaml", "a: 1\n"));
        repo.Push("main");
        return sha;
    }

    [Fact]
    public async Task Credentials_from_a_local_file_fetch_over_smart_http()
    {
        var sha = Seed();
        var file = Path.Combine(repo.Root, "credentials");
        var baseUrl = fixture.Server.BaseUrl.Replace("http://", $"http://{GitHttpServer.User}:{GitHttpServer.Password}@", StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, $"# tokens\nhttps://other:x@example.com\n{baseUrl}\n");
        using var source = Source(credentialsFile: file);

        var resolved = await source.ResolveAsync(Url, "main", refresh: true, SourceHarness.Timeout);
        Assert.Equal(sha, resolved.Sha);
        using var lease = await source.GetSnapshotAsync(Url, sha, "apps/a", SourceHarness.Timeout);
        Assert.Equal("a: 1\n", await File.ReadAllTextAsync(Path.Combine(lease.Path, "app.yaml")));
    }

    [Fact]
    public async Task Credentials_from_the_callers_source_are_used_and_polling_works()
    {
        var sha = Seed();
        using var source = Source(new FixedCredentials(new GitCredentials(GitHttpServer.User, GitHttpServer.Password)));
        Assert.Contains(await source.PollAsync(Url, SourceHarness.Timeout), c => c.NewSha == sha);
        await source.FetchAsync(Url, SourceHarness.Timeout);
        Assert.Empty(await source.PollAsync(Url, SourceHarness.Timeout));
    }

    [Fact]
    public async Task Wrong_or_missing_credentials_fail_clearly_without_leaking_the_secret()
    {
        Seed();
        using var wrong = Source(new FixedCredentials(new GitCredentials(GitHttpServer.User, "wrong-password-123")));
        var error = await Assert.ThrowsAsync<GitSourceException>(() => wrong.FetchAsync(Url, SourceHarness.Timeout));
        Assert.Equal(GitSourceErrorKind.Authentication, error.Kind);
        Assert.DoesNotContain("wrong-password-123", error.ToString(), StringComparison.Ordinal);

        using var none = Source();
        var missing = await Assert.ThrowsAsync<GitSourceException>(() => none.FetchAsync(Url, SourceHarness.Timeout));
        Assert.Equal(GitSourceErrorKind.Authentication, missing.Kind);

        var embedded = Url.Replace("http://", "http://git:embedded-secret-456@", StringComparison.Ordinal);
        var masked = await Assert.ThrowsAsync<GitSourceException>(() => none.FetchAsync(embedded, SourceHarness.Timeout));
        Assert.DoesNotContain("embedded-secret-456", masked.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revert_pushes_over_smart_http_with_credentials()
    {
        repo.CommitFiles("v1", ("apps/a/image", "v1\n"));
        var bad = repo.CommitFiles("v2", ("apps/a/image", "v2\n"));
        repo.Push("main");
        var embedded = Url.Replace("http://", $"http://{GitHttpServer.User}:{GitHttpServer.Password}@", StringComparison.Ordinal);
        using var source = Source();

        var result = await source.RevertAsync(new RevertRequest { RepositoryUrl = embedded, Branch = "main", Commit = bad },
            SourceHarness.Timeout);
        Assert.Equal(result.NewHeadSha, repo.GitRemote("rev-parse", "main"));
        Assert.Equal("v1", repo.GitRemote("show", "main:apps/a/image"));
    }

    [Fact]
    public async Task A_push_the_server_rejects_is_an_error_and_changes_nothing()
    {
        repo.CommitFiles("v1", ("a", "1\n"));
        var bad = repo.CommitFiles("v2", ("a", "2\n"));
        repo.Push("main");
        var before = repo.GitRemote("rev-parse", "main");
        var hook = Path.Combine(repo.BarePath, "hooks", "pre-receive");
        await File.WriteAllTextAsync(hook, "#!/bin/sh\necho 'branch is protected' >&2\nexit 1\n");
        File.SetUnixFileMode(hook, (UnixFileMode)0b111_101_101);
        using var source = Source(new FixedCredentials(new GitCredentials(GitHttpServer.User, GitHttpServer.Password)));

        var error = await Assert.ThrowsAsync<GitSourceException>(() => source.RevertAsync(
            new RevertRequest { RepositoryUrl = Url, Branch = "main", Commit = bad }, SourceHarness.Timeout));
        Assert.Equal(GitSourceErrorKind.PushRejected, error.Kind);
        Assert.Equal(before, repo.GitRemote("rev-parse", "main"));
    }
}
