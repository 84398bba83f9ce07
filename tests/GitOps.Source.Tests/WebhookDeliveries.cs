using System.Security.Cryptography;
using System.Text;
using GitOps.Source.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Source.Tests;

/// <summary>Real-format deliveries as each forge sends them (headers + signed body).</summary>
internal static class WebhookDeliveries
{
    public const string Secret = "webhook-shared-secret";

    public static WebhookOptions Options { get; } = new()
    {
        GitHubSecret = Secret,
        GitLabToken = Secret,
        GiteaSecret = Secret,
        GogsSecret = Secret,
        MaxBodyBytes = 64 * 1024,
    };

    public static GitWebhookHandler Handler(WebhookOptions? options = null) =>
        new(options ?? Options, NullLogger<GitWebhookHandler>.Instance);

    public static byte[] Payload(GitForge forge) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory,
        "testdata", "webhooks", forge.ToString().ToLowerInvariant() + "-push.json"));

    public static Dictionary<string, string> Headers(GitForge forge, byte[] body, string? secret = Secret,
        string? eventName = null)
    {
        var hex = secret is null ? null : Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
        var headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" };
        switch (forge)
        {
            case GitForge.GitHub:
                headers["X-GitHub-Event"] = eventName ?? "push";
                headers["X-GitHub-Delivery"] = Guid.NewGuid().ToString();
                if (hex is not null)
                {
                    headers["X-Hub-Signature-256"] = "sha256=" + hex;
                }

                break;
            case GitForge.GitLab:
                headers["X-Gitlab-Event"] = eventName ?? "Push Hook";
                if (secret is not null)
                {
                    headers["X-Gitlab-Token"] = secret;
                }

                break;
            case GitForge.Gitea:
                // Gitea sends its own headers plus Gogs- and GitHub-compatible ones.
                headers["X-Gitea-Event"] = eventName ?? "push";
                headers["X-Gogs-Event"] = eventName ?? "push";
                headers["X-GitHub-Event"] = eventName ?? "push";
                if (hex is not null)
                {
                    headers["X-Gitea-Signature"] = hex;
                    headers["X-Gogs-Signature"] = hex;
                    headers["X-Hub-Signature-256"] = "sha256=" + hex;
                }

                break;
            default:
                headers["X-Gogs-Event"] = eventName ?? "push";
                if (hex is not null)
                {
                    headers["x-gogs-signature"] = hex; // any header case works
                }

                break;
        }

        return headers;
    }

    public static WebhookRequest Signed(GitForge forge, byte[]? body = null, string? secret = Secret, string? eventName = null)
    {
        body ??= Payload(forge);
        return new WebhookRequest(Headers(forge, body, secret, eventName), body);
    }
}
