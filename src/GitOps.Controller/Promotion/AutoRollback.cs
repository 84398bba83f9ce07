using GitOps.Engine;

namespace GitOps.Controller.Promotion;

/// <summary>What autoRollback should revert, if anything.</summary>
internal sealed record RollbackDecision(Candidate Promoted, string Reason);

/// <summary>
/// autoRollback's rule as a pure function: a stage with <c>autoRollback</c> whose app is Synced at a promotion
/// commit and Degraded, within the window after that promotion, has the promotion reverted. Only the commit the
/// stage runs counts (an app still Degraded from an earlier revision, or not yet synced, is left alone), and only
/// a candidate still marked Promoted: a rolled-back one is never reverted twice.
/// </summary>
internal static class AutoRollback
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(10);

    public static RollbackDecision? Check(StageSpec spec, StageStatus stage, DateTimeOffset now)
    {
        if (spec.AutoRollback is not { } rollback
            || stage.Current is not { Sync: SyncState.Synced, Health: HealthState.Degraded } current)
        {
            return null;
        }

        var promoted = new[] { stage.Candidate }.Concat(stage.Past.Reverse())
            .FirstOrDefault(c => c is { Phase: CandidatePhase.Promoted } && c.PromotedCommit == current.Commit);
        if (promoted?.PromotedAt is not { } at)
        {
            return null;
        }

        var window = PipelineDocuments.Duration(rollback.Window, DefaultWindow);
        var after = now - at;
        if (after > window)
        {
            return null;
        }

        var rev = promoted.Tag is { } tag ? $"{tag} ({GateEvaluator.Short(promoted.Revision)})" : GateEvaluator.Short(promoted.Revision);
        return new RollbackDecision(promoted,
            $"{spec.Name} turned Degraded at {rev} {GateEvaluator.Format(after < TimeSpan.Zero ? TimeSpan.Zero : after)} after its promotion (autoRollback window {GateEvaluator.Format(window)})");
    }
}
