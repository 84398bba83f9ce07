using GitOps.Controller.Reconcile;
using GitOps.Source;
using GitOps.Source.Webhooks;

namespace GitOps.Controller.Hosting;

/// <summary>A push webhook queues the apps that follow the pushed repository and branch (HEAD follows any
/// branch, since the default branch's name is the server's to say) and, when the forge listed the changed
/// files, only those whose path they touch.</summary>
internal sealed class WebhookRefreshQueue(ApplicationRegistry registry, WorkQueue queue, ILogger<WebhookRefreshQueue> logger)
    : IRefreshQueue
{
    public Task EnqueueAsync(string repoUrl, string branch, IReadOnlyList<string>? changedPaths, CancellationToken cancellationToken)
    {
        var queued = 0;
        foreach (var app in registry.All)
        {
            var source = app.Spec.Source;
            if (!SameRepository(source.RepoUrl, repoUrl)
                || (source.TargetRevision != branch && source.TargetRevision != "HEAD" && source.TargetRevision != "refs/heads/" + branch))
            {
                continue;
            }

            if (changedPaths is { Count: > 0 } && !changedPaths.Any(p => Touches(source.Path, p)))
            {
                continue;
            }

            queue.Add(app.Name, Trigger.Webhook);
            queued++;
        }

        logger.LogInformation("Webhook for {Repository} {Branch}: {Count} application(s) queued", repoUrl, branch, queued);
        return Task.CompletedTask;
    }

    private static bool SameRepository(string declared, string pushed)
    {
        try
        {
            return RepositoryUrl.Parse(declared).Normalized == RepositoryUrl.Parse(pushed).Normalized;
        }
        catch (GitSourceException)
        {
            return false;
        }
    }

    private static bool Touches(string appPath, string changed)
    {
        var prefix = appPath.Trim('/');
        return prefix is "" or "." || changed == prefix || changed.StartsWith(prefix + "/", StringComparison.Ordinal);
    }
}
