using GitOps.Controller.Promotion;
using GitOps.Controller.State;
using GitOps.Engine;

namespace GitOps.Controller.Tests.Promotion;

/// <summary>The gate rules as a pure function (no cluster, no git): soak time, a Degraded source stage, the
/// verification Job, approvals and rejections, auto-promotion off.</summary>
public sealed class GateEvaluatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Sha = "1111111111111111111111111111111111111111";

    private static readonly Candidate Waiting = new() { Revision = Sha, SourceCommit = Sha, Tag = "v1.0.0", Since = T0 };

    private static AppStatus Canary(HealthState health, SyncState sync = SyncState.Synced, string sha = Sha) =>
        new() { Revision = new RevisionInfo(sha), Sync = sync, Health = health };

    private static StageSpec Prod(GatesSpec? gates, bool autoPromote = true) =>
        new() { Name = "prod", Application = "sample-prod", Gates = gates, AutoPromote = autoPromote };

    private static GateEvaluation Evaluate(StageSpec stage, AppStatus canary, Candidate candidate, DateTimeOffset now,
        VerificationResult? job = null) => GateEvaluator.Evaluate("sample", stage, "canary", canary, candidate, job, now);

    [Fact]
    public void The_soak_time_counts_from_the_first_healthy_observation_and_restarts_after_a_break()
    {
        var stage = Prod(new GatesSpec { RequireHealthyFor = "2m" });

        var first = Evaluate(stage, Canary(HealthState.Healthy), Waiting, T0);
        var later = Evaluate(stage, Canary(HealthState.Healthy), first.Candidate, T0.AddSeconds(90));
        var broken = Evaluate(stage, Canary(HealthState.Progressing), later.Candidate, T0.AddSeconds(100));
        var again = Evaluate(stage, Canary(HealthState.Healthy), broken.Candidate, T0.AddSeconds(130));
        var done = Evaluate(stage, Canary(HealthState.Healthy), again.Candidate, T0.AddSeconds(250));

        Assert.Equal(GateAction.None, later.Action);
        Assert.Contains("for 1m30s of 2m0s", later.Candidate.Message, StringComparison.Ordinal);
        Assert.Null(broken.Candidate.HealthySince);
        Assert.Equal(T0.AddSeconds(130), again.Candidate.HealthySince);
        Assert.Equal(GateAction.Promote, done.Action);
    }

    [Fact]
    public void A_degraded_source_stage_blocks_and_says_why_and_a_stage_not_yet_at_the_revision_waits()
    {
        var blocked = Evaluate(Prod(null), Canary(HealthState.Degraded), Waiting, T0);
        var behind = Evaluate(Prod(null), Canary(HealthState.Healthy, SyncState.OutOfSync), Waiting, T0);

        Assert.Equal((CandidatePhase.Blocked, GateAction.None), (blocked.Candidate.Phase, blocked.Action));
        Assert.Equal("canary is Degraded at v1.0.0 (1111111)", blocked.Candidate.Message);
        Assert.Equal((CandidatePhase.Waiting, GateAction.None), (behind.Candidate.Phase, behind.Action));
    }

    [Fact]
    public void Approvals_count_distinct_approvers_and_one_rejection_rejects()
    {
        var stage = Prod(new GatesSpec { Approval = new ApprovalSpec { Count = 2 } });
        var one = Waiting with { Approvals = [new("alice", T0, ApprovalDecision.Approved), new("alice", T0, ApprovalDecision.Approved)] };
        var two = one with { Approvals = [.. one.Approvals, new("bob", T0, ApprovalDecision.Approved)] };
        var rejected = two with { Approvals = [.. two.Approvals, new("carol", T0, ApprovalDecision.Rejected, "not today")] };

        Assert.Equal(GateAction.None, Evaluate(stage, Canary(HealthState.Healthy), one, T0).Action);
        Assert.Equal(GateAction.Promote, Evaluate(stage, Canary(HealthState.Healthy), two, T0).Action);
        var no = Evaluate(stage, Canary(HealthState.Healthy), rejected, T0);
        Assert.Equal((CandidatePhase.Rejected, GateAction.None), (no.Candidate.Phase, no.Action));
        Assert.Equal("rejected by carol: not today", no.Candidate.Message);
    }

    [Fact]
    public void Verification_starts_once_healthy_fails_the_gate_on_failure_or_timeout_and_keeps_its_log()
    {
        var stage = Prod(new GatesSpec { Verification = new VerificationSpec { Timeout = "5m" } });

        Assert.Equal(GateAction.None, Evaluate(stage, Canary(HealthState.Progressing), Waiting, T0).Action);
        Assert.Equal(GateAction.StartVerification, Evaluate(stage, Canary(HealthState.Healthy), Waiting, T0).Action);
        var running = Waiting with { VerificationJob = "sample-prod-1111111", VerificationStartedAt = T0 };
        var failed = Evaluate(stage, Canary(HealthState.Healthy), running, T0.AddMinutes(1),
            new VerificationResult(VerificationOutcome.Failed, "BackoffLimitExceeded", ["smoke: exit 1: frontend answered 500"]));
        var timedOut = Evaluate(stage, Canary(HealthState.Healthy), running, T0.AddMinutes(6),
            new VerificationResult(VerificationOutcome.Running, "1 active", []));
        var passed = Evaluate(stage, Canary(HealthState.Healthy), running, T0.AddMinutes(1),
            new VerificationResult(VerificationOutcome.Succeeded, "", []));

        Assert.Equal(CandidatePhase.Blocked, failed.Candidate.Phase);
        Assert.Equal(["smoke: exit 1: frontend answered 500"], failed.Candidate.Gates.Single(g => g.Kind == GateKind.Verification).Log);
        Assert.Contains("did not succeed within 5m0s", timedOut.Candidate.Message, StringComparison.Ordinal);
        Assert.Equal(GateAction.Promote, passed.Action);
        // A verdict stands when the Job is gone later (deleted by a TTL).
        Assert.Equal(CandidatePhase.Blocked, Evaluate(stage, Canary(HealthState.Healthy), failed.Candidate, T0.AddMinutes(2)).Candidate.Phase);
    }

    [Fact]
    public void With_auto_promotion_off_passed_gates_wait_for_an_explicit_promote()
    {
        var result = Evaluate(Prod(null, autoPromote: false), Canary(HealthState.Healthy), Waiting, T0);

        Assert.True(result.AllPassed);
        Assert.Equal(GateAction.None, result.Action);
        Assert.Equal("all gates passed; auto-promotion is off: gitops pipeline promote sample --stage prod", result.Candidate.Message);
    }
}
