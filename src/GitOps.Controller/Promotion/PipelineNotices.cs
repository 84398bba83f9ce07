using GitOps.Controller.Notifications;

namespace GitOps.Controller.Promotion;

/// <summary>
/// Which pipeline notifications a change of a pipeline's status means, per stage — pure, from the status before
/// and after a save, so every path that changes a candidate (an evaluation, an approval, a promote) is covered by
/// one call. A status read back after a restart is the "before" of the next save, so nothing is resent.
/// </summary>
internal static class PipelineNotices
{
    /// <summary>Tells <paramref name="notifier"/> what changed from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static void Report(IPipelineNotifier? notifier, Pipeline? pipeline, PipelineStatus before, PipelineStatus after)
    {
        if (notifier is null || pipeline is null)
        {
            return;
        }

        foreach (var stage in pipeline.Spec.Stages)
        {
            foreach (var (trigger, revision, message) in Detect(before.Stage(stage.Name), after.Stage(stage.Name)))
            {
                notifier.Notify(new PipelineEvent(pipeline.Name, stage.Name, stage.Application, trigger, revision, message));
            }
        }
    }

    /// <summary>The pipeline triggers one stage's change means: a revision now waits only for an approver; its
    /// verification failed; it was promoted by this controller (not found promoted in the branch's history); the
    /// stage runs again a revision promoted to it before another one (a rollback).</summary>
    public static IEnumerable<(NotificationTrigger Trigger, string Revision, string Message)> Detect(StageStatus before, StageStatus after)
    {
        if (after.Candidate is { } now)
        {
            var was = before.Candidate is { } b && b.Revision == now.Revision ? b : null;
            var name = now.Tag ?? GateEvaluator.Short(now.Revision);
            if (AwaitsApproval(now) && (was is null || !AwaitsApproval(was)))
            {
                yield return (NotificationTrigger.ApprovalNeeded, now.Revision,
                    $"{name} waits for approval ({Gate(now, GateKind.Approval)?.Message})");
            }

            if (Gate(now, GateKind.Verification) is { State: GateState.Failed } failed
                && Gate(was, GateKind.Verification)?.State != GateState.Failed)
            {
                yield return (NotificationTrigger.VerificationFailed, now.Revision, $"{name}: {failed.Message}");
            }

            if (now.Phase == CandidatePhase.Promoted && was?.Phase != CandidatePhase.Promoted && now.PromotedAt >= now.Since)
            {
                yield return (NotificationTrigger.Promoted, now.Revision, $"{name} {now.Message}");
            }
        }

        // Back to a revision promoted earlier than the one the stage ran: a rollback (moving to a later promotion,
        // even one already superseded by a newer candidate, is not).
        if (before.Current is { } from && after.Current is { } to && from.Revision != to.Revision
            && PromotedAt(after, to.Revision) is { } toAt && PromotedAt(after, from.Revision) is { } fromAt && toAt < fromAt)
        {
            yield return (NotificationTrigger.PromotionRolledBack, to.Revision,
                $"back to {to.Tag ?? GateEvaluator.Short(to.Revision)} (was {from.Tag ?? GateEvaluator.Short(from.Revision)})");
        }
    }

    private static DateTimeOffset? PromotedAt(StageStatus stage, string revision) =>
        stage.Past.Append(stage.Candidate).LastOrDefault(c => c is { Phase: CandidatePhase.Promoted } && c.Revision == revision)?.PromotedAt;

    /// <summary>Waiting, and only the approval gate is not passed.</summary>
    private static bool AwaitsApproval(Candidate c) =>
        c.Phase == CandidatePhase.Waiting
        && Gate(c, GateKind.Approval) is { State: GateState.Pending }
        && c.Gates.Where(g => g.Kind != GateKind.Approval).All(g => g.State == GateState.Passed);

    private static GateStatus? Gate(Candidate? c, GateKind kind) => c?.Gates.FirstOrDefault(g => g.Kind == kind);
}
