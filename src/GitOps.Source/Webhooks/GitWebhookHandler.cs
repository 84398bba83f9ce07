using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace GitOps.Source.Webhooks;

/// <summary>
/// Turns a push webhook from GitHub, GitLab, Gitea or Gogs into "refresh repository X at branch Y".
/// Authenticates before parsing, caps the body, answers 400 to anything malformed, and never throws.
/// </summary>
public sealed partial class GitWebhookHandler(WebhookOptions options, ILogger<GitWebhookHandler> logger)
{
    public WebhookResult Handle(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var result = HandleCore(request);
            LogHandled(logger, result.Forge?.ToString() ?? "unknown", result.StatusCode, result.Message);
            return result;
        }
#pragma warning disable CA1031 // A webhook must never take the process down, whatever arrives.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(logger, e.GetType().Name);
            return new WebhookResult(500, "internal error handling the webhook");
        }
    }

    private WebhookResult HandleCore(WebhookRequest request)
    {
        if (request.Body.Length > options.MaxBodyBytes)
        {
            return new WebhookResult(413, $"payload larger than {options.MaxBodyBytes} bytes");
        }

        var headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase);
        // Gitea also sends X-Gogs-Event and X-GitHub-Event, so look for it first.
        (GitForge Forge, string Event)? sender =
            headers.TryGetValue("X-Gitea-Event", out var e1) ? (GitForge.Gitea, e1)
            : headers.TryGetValue("X-Gogs-Event", out var e2) ? (GitForge.Gogs, e2)
            : headers.TryGetValue("X-GitHub-Event", out var e3) ? (GitForge.GitHub, e3)
            : headers.TryGetValue("X-Gitlab-Event", out var e4) ? (GitForge.GitLab, e4)
            : null;
        if (sender is not { } s)
        {
            return new WebhookResult(400, "unknown sender: no X-GitHub-Event, X-Gitlab-Event, X-Gitea-Event or X-Gogs-Event header");
        }

        if (Authenticate(s.Forge, headers, request.Body.Span) is { } denied)
        {
            return denied with { Forge = s.Forge };
        }

        var isPush = s.Forge == GitForge.GitLab ? s.Event is "Push Hook" or "Tag Push Hook" : s.Event == "push";
        if (!isPush)
        {
            return new WebhookResult(200, s.Event == "ping" ? "pong" : $"event '{Truncate(s.Event)}' ignored", s.Forge);
        }

        return Parse(s.Forge, request.Body);
    }

    private WebhookResult? Authenticate(GitForge forge, Dictionary<string, string> headers, ReadOnlySpan<byte> body)
    {
        var (secret, header, prefix) = forge switch
        {
            GitForge.GitHub => (options.GitHubSecret, "X-Hub-Signature-256", "sha256="),
            GitForge.Gitea => (options.GiteaSecret, "X-Gitea-Signature", ""),
            GitForge.Gogs => (options.GogsSecret, "X-Gogs-Signature", ""),
            _ => (options.GitLabToken, "X-Gitlab-Token", ""),
        };
        if (string.IsNullOrEmpty(secret))
        {
            return new WebhookResult(401, $"no secret is configured for {forge} webhooks");
        }

        if (!headers.TryGetValue(header, out var presented) || presented.Length == 0)
        {
            return new WebhookResult(401, $"missing {header} header");
        }

        var secretBytes = Encoding.UTF8.GetBytes(secret);
        bool valid;
        if (forge == GitForge.GitLab)
        {
            valid = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), secretBytes);
        }
        else
        {
            var hex = presented.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? presented[prefix.Length..] : presented;
            var expected = HMACSHA256.HashData(secretBytes, body);
            valid = hex.Length == expected.Length * 2 && hex.All(char.IsAsciiHexDigit) &&
                    CryptographicOperations.FixedTimeEquals(Convert.FromHexString(hex), expected);
        }

        return valid ? null : new WebhookResult(401, $"{header} does not match the configured secret");
    }

    private static WebhookResult Parse(GitForge forge, ReadOnlyMemory<byte> body)
    {
        // Invalid UTF-8 would only surface later, as an exception while reading a string.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return new WebhookResult(400, "payload is not valid UTF-8", forge);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return new WebhookResult(400, "malformed JSON payload", forge);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("ref", out var refElement) || refElement.ValueKind != JsonValueKind.String ||
                refElement.GetString() is not { } gitRef || !gitRef.StartsWith("refs/", StringComparison.Ordinal))
            {
                return new WebhookResult(400, "payload has no 'ref' of the form refs/…", forge);
            }

            var urls = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var (container, field) in (ReadOnlySpan<(string, string)>)
                     [("repository", "html_url"), ("repository", "clone_url"), ("repository", "url"),
                      ("repository", "homepage"), ("repository", "git_http_url"),
                      ("project", "web_url"), ("project", "git_http_url")])
            {
                if (root.TryGetProperty(container, out var holder) && holder.ValueKind == JsonValueKind.Object &&
                    holder.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String &&
                    value.GetString() is { } text && text.StartsWith("http", StringComparison.OrdinalIgnoreCase))
                {
                    try
                    {
                        urls.Add(RepositoryUrl.Parse(text).Normalized);
                    }
                    catch (GitSourceException)
                    {
                        // An unusable URL in one field; others may still name the repository.
                    }
                }
            }

            if (urls.Count == 0)
            {
                return new WebhookResult(400, "payload names no http(s) repository URL", forge);
            }

            var paths = ChangedPaths(root);
            var branch = gitRef.StartsWith("refs/heads/", StringComparison.Ordinal) ? gitRef[11..] : gitRef;
            return new WebhookResult(202, $"refresh {string.Join(", ", urls)} at {Truncate(branch)}", forge,
                [.. urls], gitRef, paths);
        }
    }

    private static string[]? ChangedPaths(JsonElement root)
    {
        if (!root.TryGetProperty("commits", out var commits) || commits.ValueKind != JsonValueKind.Array ||
            commits.GetArrayLength() == 0)
        {
            return null;
        }

        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var commit in commits.EnumerateArray())
        {
            if (commit.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var any = false;
            foreach (var field in (ReadOnlySpan<string>)["added", "modified", "removed"])
            {
                if (commit.TryGetProperty(field, out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    any = true;
                    foreach (var item in list.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.String && item.GetString() is { } path)
                        {
                            paths.Add(path);
                        }
                    }
                }
            }

            if (!any)
            {
                return null; // This forge did not list files: the caller diffs instead.
            }
        }

        return [.. paths];
    }

    private static string Truncate(string text) => text.Length <= 100 ? text : text[..100] + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook from {Forge}: {StatusCode} {Outcome}")]
    private static partial void LogHandled(ILogger logger, string forge, int statusCode, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook handling failed with {ErrorType}")]
    private static partial void LogFailed(ILogger logger, string errorType);
}
