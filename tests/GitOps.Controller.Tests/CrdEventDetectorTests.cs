using GitOps.Controller.State;
using GitOps.Engine;

namespace GitOps.Controller.Tests;

/// <summary>Which status changes become Kubernetes Events on the Application (CRD mode).</summary>
public sealed class CrdEventDetectorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_finished_operation_is_reported_once()
    {
        var running = new AppStatus { Operation = new OperationState(OperationPhase.Running, "syncing", Initiator.Auto, T0) };
        var done = Synced(1, SyncOutcome.Succeeded, Initiator.Auto);
        Assert.Equal(["Synced"], AppEventDetector.Detect(running, done).Select(e => e.Reason));
        Assert.Empty(AppEventDetector.Detect(done, done with { ReconciledAt = T0.AddMinutes(3) }));

        var failed = done with { Operation = done.Operation! with { Phase = OperationPhase.Failed, StartedAt = T0.AddMinutes(5) } };
        var e = Assert.Single(AppEventDetector.Detect(done, failed));
        Assert.Equal(("Warning", "SyncFailed"), (e.Type, e.Reason));
    }

    [Fact]
    public void Rollback_conditions_and_pause_are_reported_on_change_only()
    {
        var before = Synced(1, SyncOutcome.Succeeded, Initiator.Auto);
        var rolledBack = before.AppendHistory(new HistoryEntry(2, new RevisionInfo("b"), T0, T0, SyncOutcome.Succeeded, Initiator.Rollback, "rollback to aaaaaaa"), 10);
        Assert.Equal(["RolledBack"], AppEventDetector.Detect(before, rolledBack).Select(e => e.Reason));

        var clock = TimeProvider.System;
        var broken = before.WithCondition(ConditionTypes.ComparisonError, "render: bad.yaml:3: oops", clock);
        Assert.Equal(["ComparisonError"], AppEventDetector.Detect(before, broken).Select(e => e.Reason));
        Assert.Empty(AppEventDetector.Detect(broken, broken with { ReconciledAt = T0 }));
        Assert.Empty(AppEventDetector.Detect(broken, before)); // recovering is not a warning

        Assert.Equal(["Paused"], AppEventDetector.Detect(before, before with { Paused = true }).Select(e => e.Reason));
        Assert.Equal(["Resumed"], AppEventDetector.Detect(before with { Paused = true }, before).Select(e => e.Reason));
    }

    private static AppStatus Synced(long id, SyncOutcome result, Initiator by) => new AppStatus
        {
            Operation = new OperationState(OperationPhases.Of(result), "ok", by, T0, T0.AddSeconds(1)),
        }
        .AppendHistory(new HistoryEntry(id, new RevisionInfo("aaaaaaaaaa"), T0, T0.AddSeconds(1), result, by), 10);
}
