namespace GitOps.Source.Tests;

public sealed class RepositoryUrlTests
{
    [Theory]
    [InlineData("https://GitHub.com/Org/Repo.git", "https://github.com/Org/Repo")]
    [InlineData("https://github.com/Org/Repo/", "https://github.com/Org/Repo")]
    [InlineData("https://github.com/Org/Repo.git//", "https://github.com/Org/Repo")]
    [InlineData("https://github.com:443/Org/Repo", "https://github.com/Org/Repo")]
    [InlineData("http://Gogs.local:3000/team/app.git", "http://gogs.local:3000/team/app")]
    [InlineData("https://user:token@github.com/Org/Repo.git", "https://github.com/Org/Repo")]
    [InlineData("file:///srv/git/repo.git", "file:///srv/git/repo")]
    [InlineData("/srv/git/repo.git/", "file:///srv/git/repo")]
    public void Spellings_of_one_repository_normalise_to_one_key(string input, string expected)
    {
        Assert.Equal(expected, RepositoryUrl.Parse(input).Normalized);
    }

    [Fact]
    public void User_info_becomes_credentials_and_never_shows_in_the_url()
    {
        var url = RepositoryUrl.Parse("https://bot:p%40ss@git.example.com/a/b.git");
        Assert.Equal("bot", url.EmbeddedCredentials!.Username);
        Assert.Equal("p@ss", url.EmbeddedCredentials.Password);
        Assert.Equal("https://git.example.com/a/b.git", url.RemoteUrl);
        Assert.DoesNotContain("p@ss", url.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("p@ss", url.EmbeddedCredentials.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ssh://git@github.com/org/repo.git")]
    [InlineData("git@github.com:org/repo.git")]
    public void Ssh_urls_are_refused_clearly(string input)
    {
        var error = Assert.Throws<GitSourceException>(() => RepositoryUrl.Parse(input));
        Assert.Equal(GitSourceErrorKind.UnsupportedTransport, error.Kind);
        Assert.Contains("SSH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_schemes_are_refused_with_credentials_masked()
    {
        var error = Assert.Throws<GitSourceException>(() => RepositoryUrl.Parse("ftp://me:hunter2@host/repo"));
        Assert.Equal(GitSourceErrorKind.UnsupportedTransport, error.Kind);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
