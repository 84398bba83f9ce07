using GitOps.Controller.Promotion;
using GitOps.Engine;

namespace GitOps.Controller.Tests.Promotion;

/// <summary>autoRollback's rule as a pure function: only a stage that opted in, Synced at the promotion commit and
/// Degraded, within the window after the promotion, and only a candidate still marked Promoted.</summary>
public sealed class AutoRollbackRuleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Revision = "1111111111111111111111111111111111111111";
    private const string Promotion = "2222222222222222222222222222222222222222";

    private static readonly Candidate Promoted = new()
    {
        Revision = Revision, SourceCommit = Revision, Tag = "v1.0.1", Phase = CandidatePhase.Promoted,
        PromotedCommit = Promotion, PromotedAt = T0,
    };

    private static readonly StageSpec Prod = new() { Name = "prod", Application = "sample-prod", AutoRollback = new AutoRollbackSpec { Window = "5m" } };

    private static StageStatus At(HealthState health, SyncState sync = SyncState.Synced, string commit = Promotion, Candidate? candidate = null,
        IReadOnlyList<Candidate>? past = null) => new()
    {
        Name = "prod",
        Current = new StageCurrent(commit, Revision, "v1.0.1", sync, health),
        Candidate = candidate ?? Promoted,
        Past = past ?? [],
    };

    [Fact]
    public void A_stage_Degraded_at_its_promotion_within_the_window_rolls_it_back_and_says_why()
    {
        var decision = AutoRollback.Check(Prod, At(HealthState.Degraded), T0.AddSeconds(75));

        Assert.NotNull(decision);
        Assert.Same(Promoted, decision.Promoted);
        Assert.Equal("prod turned Degraded at v1.0.1 (1111111) 1m15s after its promotion (autoRollback window 5m0s)", decision.Reason);
    }

    [Fact]
    public void A_promotion_superseded_by_a_newer_candidate_is_found_among_the_past_ones()
    {
        var newer = new Candidate { Revision = "3333333333333333333333333333333333333333", Phase = CandidatePhase.Waiting };

        var decision = AutoRollback.Check(Prod, At(HealthState.Degraded, candidate: newer, past: [Promoted]), T0.AddMinutes(1));

        Assert.Same(Promoted, decision?.Promoted);
    }

    [Fact]
    public void Nothing_is_rolled_back_outside_the_rule()
    {
        Assert.Null(AutoRollback.Check(Prod, At(HealthState.Healthy), T0.AddMinutes(1)));
        Assert.Null(AutoRollback.Check(Prod, At(HealthState.Progressing), T0.AddMinutes(1)));
        Assert.Null(AutoRollback.Check(Prod, At(HealthState.Degraded), T0.AddMinutes(5).AddSeconds(1)));
        Assert.Null(AutoRollback.Check(Prod, At(HealthState.Degraded, sync: SyncState.OutOfSync), T0.AddMinutes(1)));
        Assert.Null(AutoRollback.Check(Prod, At(HealthState.Degraded, commit: Revision), T0.AddMinutes(1)));
        Assert.Null(AutoRollback.Check(Prod, At(HealthState.Degraded, candidate: Promoted with { Phase = CandidatePhase.RolledBack }), T0.AddMinutes(1)));
        Assert.Null(AutoRollback.Check(Prod with { AutoRollback = null }, At(HealthState.Degraded), T0.AddMinutes(1)));
    }
}
