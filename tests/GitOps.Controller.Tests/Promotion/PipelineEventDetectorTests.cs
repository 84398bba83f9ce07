using GitOps.Controller.Promotion;

namespace GitOps.Controller.Tests.Promotion;

/// <summary>Pipeline transitions as Kubernetes Events, derived from two consecutive statuses (pure): approval
/// needed, promoted, verification failed, rolled back — once each, not on every re-evaluation.</summary>
public sealed class PipelineEventDetectorTests
{
    private const string Sha = "1111111111111111111111111111111111111111";

    private static readonly GateStatus Healthy = new(GateKind.Healthy, GateState.Passed, "canary Synced and Healthy");
    private static readonly GateStatus Approval = new(GateKind.Approval, GateState.Pending, "waiting for 1 approval(s)");

    private static PipelineStatus With(Candidate? candidate, params Candidate[] past) =>
        new() { Stages = [new StageStatus { Name = "canary" }, new StageStatus { Name = "prod", Candidate = candidate, Past = past }] };

    private static Candidate Candidate(CandidatePhase phase, params GateStatus[] gates) =>
        new() { Revision = Sha, Tag = "v1.0.1", Phase = phase, Gates = gates, Message = "the message" };

    private static IEnumerable<string> Reasons(PipelineStatus before, PipelineStatus after) =>
        PipelineEventDetector.Detect(before, after).Select(e => $"{e.Type} {e.Reason}: {e.Message}");

    [Fact]
    public void Waiting_for_a_person_is_announced_once()
    {
        var pending = With(Candidate(CandidatePhase.Waiting, Healthy with { State = GateState.Pending }, Approval));
        var waiting = With(Candidate(CandidatePhase.Waiting, Healthy, Approval));

        Assert.Empty(Reasons(new PipelineStatus(), pending));
        Assert.Equal(["Normal ApprovalRequired: v1.0.1 (1111111) waits for approval to enter prod: the message"], Reasons(pending, waiting));
        Assert.Empty(Reasons(waiting, waiting));
    }

    [Fact]
    public void Promotion_verification_failure_and_rollback_are_events()
    {
        var waiting = With(Candidate(CandidatePhase.Waiting, Healthy, Approval));
        var promoted = With(Candidate(CandidatePhase.Promoted, Healthy) with { PromotedCommit = "2222222222" });
        var failed = With(Candidate(CandidatePhase.Blocked, Healthy, new GateStatus(GateKind.Verification, GateState.Failed, "verification Job x failed")));
        var rolledBack = With(null, Candidate(CandidatePhase.RolledBack) with { Message = "rolled back in 3333333: prod turned Degraded" });

        Assert.Equal(["Normal Promoted: v1.0.1 (1111111) promoted to prod in 2222222"], Reasons(waiting, promoted));
        Assert.Empty(Reasons(promoted, promoted));
        Assert.Equal(["Warning VerificationFailed: v1.0.1 (1111111) for prod: verification Job x failed"], Reasons(waiting, failed));
        Assert.Equal(["Warning RolledBack: v1.0.1 (1111111) at prod: rolled back in 3333333: prod turned Degraded"], Reasons(promoted, rolledBack));
    }
}
