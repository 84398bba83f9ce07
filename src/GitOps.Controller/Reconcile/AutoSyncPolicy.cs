using GitOps.Controller.Applications;
using GitOps.Controller.State;
using GitOps.Engine;

namespace GitOps.Controller.Reconcile;

/// <summary>When an automated app syncs by itself (Argo CD's rule).</summary>
internal static class AutoSyncPolicy
{
    /// <summary>Auto-sync only when automated, not paused, something needs applying, and (like Argo CD) the
    /// revision is new, its last sync failed (retried up to retry.limit times, with or without self-heal), or
    /// self-heal is on.</summary>
    public static SyncParameters? Parameters(Application app, AppStatus status, RevisionInfo revision,
        Comparison comparison, bool paused, Trigger trigger)
    {
        if (paused || app.Spec.SyncPolicy?.Automated is not { } automated)
        {
            return null;
        }

        var needsApply = comparison.Resources.Any(r => r.Status == SyncState.OutOfSync && !r.Extraneous)
                         || (automated.Prune && comparison.Resources.Any(r => r.Extraneous));
        if (!needsApply)
        {
            return null;
        }

        var lastAuto = status.History.LastOrDefault(h => h.InitiatedBy != Initiator.Rollback);
        var newRevision = lastAuto is null || lastAuto.Revision.Sha != revision.Sha;
        var limit = app.Spec.SyncPolicy.Retry?.Limit ?? 5;
        var failedForRevision = status.History.Reverse().TakeWhile(h => h.Revision.Sha == revision.Sha && h.Result == SyncOutcome.Failed)
            .Sum(h => h.Count);
        // A revision whose last sync failed is retried (the queue's backoff spaces the passes), selfHeal or not;
        // a revision that synced is re-applied on drift only with selfHeal.
        var retry = !newRevision && failedForRevision > 0;
        if (!newRevision && !retry && !automated.SelfHeal && trigger != Trigger.SpecChange)
        {
            return null;
        }

        if (failedForRevision > limit)
        {
            return null;
        }

        return new SyncParameters(automated.Prune, DryRun: false, automated.AllowEmpty, []);
    }
}
