using System.Text;
using GitOps.Source.Webhooks;

namespace GitOps.Source.Tests;

public sealed class WebhookPayloadTests
{
    private static WebhookResult Handle(GitForge forge, string body, string? eventName = null) =>
        WebhookDeliveries.Handler().Handle(WebhookDeliveries.Signed(forge, Encoding.UTF8.GetBytes(body), eventName: eventName));

    [Fact]
    public void An_oversized_body_is_refused_before_anything_else()
    {
        var body = new byte[WebhookDeliveries.Options.MaxBodyBytes + 1];
        var result = WebhookDeliveries.Handler().Handle(WebhookDeliveries.Signed(GitForge.GitHub, body));
        Assert.Equal(413, result.StatusCode);
    }

    [Theory]
    [InlineData(GitForge.GitHub)]
    [InlineData(GitForge.Gogs)]
    [InlineData(GitForge.GitLab)]
    public void Truncated_json_is_a_400(GitForge forge)
    {
        var full = Encoding.UTF8.GetString(WebhookDeliveries.Payload(forge));
        Assert.Equal(400, Handle(forge, full[..(full.Length / 2)]).StatusCode);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"ref\": 42, \"repository\": {}}")]
    [InlineData("{\"ref\": \"main\", \"repository\": {\"html_url\": \"https://h/o/r\"}}")]
    [InlineData("{\"ref\": \"refs/heads/main\"}")]
    [InlineData("{\"ref\": \"refs/heads/main\", \"repository\": \"https://h/o/r\"}")]
    [InlineData("{\"ref\": \"refs/heads/main\", \"repository\": {\"html_url\": 7, \"clone_url\": \"ssh://x\"}}")]
    [InlineData("{\"ref\": \"refs/heads/main\", \"repository\": {\"html_url\": \"https://h/o/r\"}, \"commits\": [1, {\"added\": [2]}]")]
    public void Payloads_missing_what_a_push_needs_are_a_400(string body)
    {
        Assert.Equal(400, Handle(GitForge.Gogs, body).StatusCode);
    }

    [Fact]
    public void Odd_commit_lists_still_refresh_with_paths_unknown()
    {
        var result = Handle(GitForge.Gogs,
            "{\"ref\": \"refs/heads/main\", \"repository\": {\"html_url\": \"https://h/o/r\"}, \"commits\": [1]}");
        Assert.Equal(202, result.StatusCode);
        Assert.Null(result.ChangedPaths);
    }

    [Fact]
    public void Deeply_nested_json_is_a_400_not_a_stack_overflow()
    {
        var body = new string('[', 100_000) + new string(']', 100_000);
        Assert.Equal(400, WebhookDeliveries.Handler(WebhookDeliveries.Options with { MaxBodyBytes = 1_000_000 })
            .Handle(WebhookDeliveries.Signed(GitForge.GitHub, Encoding.UTF8.GetBytes(body))).StatusCode);
    }

    [Theory]
    [InlineData(GitForge.GitHub, "issues")]
    [InlineData(GitForge.GitLab, "Merge Request Hook")]
    [InlineData(GitForge.Gitea, "pull_request")]
    [InlineData(GitForge.Gogs, "create")]
    public void Other_events_are_acknowledged_and_ignored(GitForge forge, string eventName)
    {
        var result = WebhookDeliveries.Handler().Handle(WebhookDeliveries.Signed(forge, eventName: eventName));
        Assert.Equal(200, result.StatusCode);
        Assert.False(result.IsRefresh);
        Assert.Contains("ignored", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Github_ping_answers_pong()
    {
        var result = Handle(GitForge.GitHub, "{\"zen\": \"Keep it logically awesome.\", \"hook_id\": 1}", "ping");
        Assert.Equal(200, result.StatusCode);
        Assert.Equal("pong", result.Message);
    }

    [Fact]
    public void A_request_from_no_known_forge_is_a_400()
    {
        var body = WebhookDeliveries.Payload(GitForge.GitHub);
        var result = WebhookDeliveries.Handler().Handle(new WebhookRequest(new Dictionary<string, string>(), body));
        Assert.Equal(400, result.StatusCode);
    }

    [Fact]
    public void Tag_pushes_carry_the_full_tag_ref()
    {
        var result = Handle(GitForge.GitHub, "{\"ref\": \"refs/tags/v1.2.0\", \"repository\": {\"clone_url\": \"https://github.com/o/r.git\"}}");
        Assert.Equal(202, result.StatusCode);
        Assert.Null(result.Branch);
        Assert.Equal("refs/tags/v1.2.0", result.Ref);
    }

    [Fact]
    public void Mutated_payloads_never_crash_the_handler()
    {
        var random = new Random(1234);
        var original = WebhookDeliveries.Payload(GitForge.Gitea);
        var handler = WebhookDeliveries.Handler();
        for (var i = 0; i < 300; i++)
        {
            var body = (byte[])original.Clone();
            for (var j = 0; j < 1 + (i % 8); j++)
            {
                body[random.Next(body.Length)] = (byte)random.Next(256);
            }

            var status = handler.Handle(WebhookDeliveries.Signed(GitForge.Gitea, body)).StatusCode;
            Assert.True(status is 202 or 400, $"mutation {i} gave {status}");
        }
    }
}
