namespace GitOps.Source.Webhooks;

/// <summary>The forges whose push webhooks are understood.</summary>
public enum GitForge
{
    GitHub,
    GitLab,
    Gitea,
    Gogs,
}

/// <summary>
/// Shared secrets per forge. A forge without a configured secret is refused (401): an unauthenticated
/// webhook would let anyone trigger fetches.
/// </summary>
public sealed record WebhookOptions
{
    /// <summary>GitHub "Secret" (HMAC-SHA256 in X-Hub-Signature-256).</summary>
    public string? GitHubSecret { get; init; }

    /// <summary>GitLab "Secret token" (sent verbatim in X-Gitlab-Token).</summary>
    public string? GitLabToken { get; init; }

    /// <summary>Gitea "Secret" (HMAC-SHA256 in X-Gitea-Signature).</summary>
    public string? GiteaSecret { get; init; }

    /// <summary>Gogs "Secret" (HMAC-SHA256 in X-Gogs-Signature).</summary>
    public string? GogsSecret { get; init; }

    /// <summary>Larger bodies are answered with 413 without being parsed.</summary>
    public int MaxBodyBytes { get; init; } = 1024 * 1024;
}

/// <summary>A webhook delivery as received: headers (any case) and the raw body.</summary>
public sealed record WebhookRequest(IReadOnlyDictionary<string, string> Headers, ReadOnlyMemory<byte> Body);

/// <summary>
/// What the handler decided. <see cref="StatusCode"/> is the HTTP answer; a push yields the repository
/// URLs (normalised) and the branch to refresh. <see cref="ChangedPaths"/> is the forge's own list of
/// touched files, a hint only (forges truncate it); null when unknown.
/// </summary>
public sealed record WebhookResult(
    int StatusCode,
    string Message,
    GitForge? Forge = null,
    IReadOnlyList<string>? RepositoryUrls = null,
    string? Ref = null,
    IReadOnlyList<string>? ChangedPaths = null)
{
    /// <summary>The branch name for <c>refs/heads/…</c> refs; null for tags.</summary>
    public string? Branch => Ref is { } r && r.StartsWith("refs/heads/", StringComparison.Ordinal) ? r[11..] : null;

    /// <summary>True when the controller should refresh <see cref="RepositoryUrls"/>.</summary>
    public bool IsRefresh => StatusCode == 202 && RepositoryUrls is { Count: > 0 };
}

/// <summary>The controller's work queue, as the webhook endpoint sees it.</summary>
public interface IRefreshQueue
{
    /// <summary>
    /// Asks for a refresh of the apps that follow <paramref name="repoUrl"/> (normalised, see
    /// <see cref="RepositoryUrl"/>) at <paramref name="branch"/> (a branch name, or a full <c>refs/tags/…</c> ref).
    /// </summary>
    Task EnqueueAsync(string repoUrl, string branch, IReadOnlyList<string>? changedPaths,
        CancellationToken cancellationToken);
}
