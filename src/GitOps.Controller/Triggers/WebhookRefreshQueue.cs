using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Source;
using GitOps.Source.Webhooks;
using k8s;
using k8s.Models;

namespace GitOps.Controller.Triggers;

/// <summary>A push webhook queues the apps that follow the pushed repository and branch (HEAD follows any
/// branch, since the default branch's name is the server's to say) and, when the forge listed the changed
/// files, only those whose path they touch. An app this replica does not reconcile (it is a follower, or the
/// app is another shard's) is handed on through the Application's refresh annotation, which the replica that
/// reconciles it watches; in file mode there is no such object and the app is queued here.</summary>
internal sealed class WebhookRefreshQueue(
    ApplicationRegistry registry,
    WorkQueue queue,
    IReplicaScope replica,
    TimeProvider clock,
    IKubernetes client,
    IServiceProvider services,
    ILogger<WebhookRefreshQueue> logger) : IRefreshQueue
{
    public async Task EnqueueAsync(string repoUrl, string branch, IReadOnlyList<string>? changedPaths, CancellationToken cancellationToken)
    {
        var (queued, forwarded) = (0, 0);
        var locator = services.GetService<ApplicationLocator>(); // CRD mode only
        var pushed = Normalized(repoUrl);
        // Apps share few repository URLs: parse each once per push, not once per app.
        var sameRepository = new Dictionary<string, bool>(StringComparer.Ordinal);
        var changed = changedPaths is { Count: > 0 } ? new ChangedDirectories(changedPaths) : null;
        // With the changed files listed, only the apps under their directories (and those any push may affect) are
        // tested; without them, every app of the repository is.
        foreach (var app in changed is null ? registry.Unordered : registry.MayBeTouchedBy(changed))
        {
            var source = app.Spec.Source;
            bool Same(string declared)
            {
                if (!sameRepository.TryGetValue(declared, out var same))
                {
                    same = sameRepository[declared] = pushed is not null && Normalized(declared) == pushed;
                }

                return same;
            }

            // A push to a ref source's repository (values from git) changes the app's composite revision; a git push
            // never moves a chart repository's versions.
            var affected = (source.ValueSources.Count > 0 && source.ValueSources.Any(v => Same(v.RepoUrl) && Tracks(v.TargetRevision, branch)))
                           || (!source.IsChart && (changed is null || changed.Affects(source.Path))
                               && Same(source.RepoUrl) && Tracks(source.TargetRevision, branch));
            if (!affected)
            {
                continue;
            }

            if ((replica.IsLeader && replica.Owns(app.Name)) || locator?.Find(app.Name) is not { } reference)
            {
                queue.Add(app.Name, Trigger.Webhook);
                queued++;
            }
            else if (await ForwardAsync(reference, cancellationToken))
            {
                forwarded++;
            }
        }

        logger.LogInformation("Webhook for {Repository} {Branch}: {Count} application(s) queued, {Forwarded} handed to the replica that reconciles them",
            repoUrl, branch, queued, forwarded);
    }

    private async Task<bool> ForwardAsync(ApplicationRef app, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(new { metadata = new { annotations = new Dictionary<string, string>
        {
            [ApplicationDocuments.RefreshAnnotation] = clock.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        } } }, V1Patch.PatchType.MergePatch);
        try
        {
            await client.CustomObjects.PatchNamespacedCustomObjectAsync(patch,
                ApplicationDocuments.Group, ApplicationDocuments.Version, app.Namespace, ApplicationDocuments.Plural, app.Name,
                cancellationToken: cancellationToken);
            return true;
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException)
        {
            // The app is still reconciled by its interval; the webhook only made it sooner.
            logger.LogWarning("Webhook: could not hand application {App} on for refresh: {Error}", app.Name, e.Message);
            return false;
        }
    }

    private static string? Normalized(string url)
    {
        try
        {
            return RepositoryUrl.Parse(url).Normalized;
        }
        catch (GitSourceException)
        {
            return null;
        }
    }

    private static bool Tracks(string targetRevision, string branch) =>
        targetRevision == branch || targetRevision == "HEAD" || targetRevision == "refs/heads/" + branch;
}
