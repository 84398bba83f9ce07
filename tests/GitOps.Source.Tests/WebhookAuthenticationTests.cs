using GitOps.Source.Webhooks;

namespace GitOps.Source.Tests;

public sealed class WebhookAuthenticationTests
{
    [Theory]
    [InlineData(GitForge.GitHub, "https://github.com/Codertocat/gitops-demo", "main")]
    [InlineData(GitForge.GitLab, "https://gitlab.example.com/mike/diaspora", "master")]
    [InlineData(GitForge.Gitea, "http://gitea.local:3000/gitea/webhooks", "develop")]
    [InlineData(GitForge.Gogs, "http://192.168.1.10:3000/sysnet4admin/gitops", "master")]
    public void A_correctly_signed_push_asks_for_a_refresh(GitForge forge, string repository, string branch)
    {
        var result = WebhookDeliveries.Handler().Handle(WebhookDeliveries.Signed(forge));
        Assert.Equal(202, result.StatusCode);
        Assert.True(result.IsRefresh);
        Assert.Equal(forge, result.Forge);
        Assert.Equal([repository], result.RepositoryUrls);
        Assert.Equal(branch, result.Branch);
        Assert.NotEmpty(result.ChangedPaths!);
    }

    [Theory]
    [InlineData(GitForge.GitHub)]
    [InlineData(GitForge.GitLab)]
    [InlineData(GitForge.Gitea)]
    [InlineData(GitForge.Gogs)]
    public void A_wrong_secret_is_refused(GitForge forge)
    {
        var result = WebhookDeliveries.Handler().Handle(WebhookDeliveries.Signed(forge, secret: "guessed"));
        Assert.Equal(401, result.StatusCode);
        Assert.False(result.IsRefresh);
        Assert.DoesNotContain(WebhookDeliveries.Secret, result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(GitForge.GitHub)]
    [InlineData(GitForge.GitLab)]
    [InlineData(GitForge.Gitea)]
    [InlineData(GitForge.Gogs)]
    public void A_missing_signature_is_refused(GitForge forge)
    {
        var result = WebhookDeliveries.Handler().Handle(WebhookDeliveries.Signed(forge, secret: null));
        Assert.Equal(401, result.StatusCode);
        Assert.Contains("missing", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_changed_after_signing_is_refused()
    {
        var body = WebhookDeliveries.Payload(GitForge.GitHub);
        var headers = WebhookDeliveries.Headers(GitForge.GitHub, body);
        var tampered = (byte[])body.Clone();
        tampered[^3] ^= 0x01;
        var result = WebhookDeliveries.Handler().Handle(new WebhookRequest(headers, tampered));
        Assert.Equal(401, result.StatusCode);
    }

    [Fact]
    public void A_forge_without_a_configured_secret_is_refused()
    {
        var handler = WebhookDeliveries.Handler(WebhookDeliveries.Options with { GogsSecret = null });
        var result = handler.Handle(WebhookDeliveries.Signed(GitForge.Gogs));
        Assert.Equal(401, result.StatusCode);
        Assert.Contains("no secret is configured", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_signature_header_is_refused_not_crashed_on()
    {
        var body = WebhookDeliveries.Payload(GitForge.GitHub);
        var headers = WebhookDeliveries.Headers(GitForge.GitHub, body);
        headers["X-Hub-Signature-256"] = "sha256=zz-not-hex";
        Assert.Equal(401, WebhookDeliveries.Handler().Handle(new WebhookRequest(headers, body)).StatusCode);
    }
}
