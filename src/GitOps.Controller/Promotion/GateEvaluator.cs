using GitOps.Controller.State;
using GitOps.Engine;

namespace GitOps.Controller.Promotion;

/// <summary>What the runner should do after an evaluation.</summary>
internal enum GateAction { None, StartVerification, Promote }

internal sealed record GateEvaluation(Candidate Candidate, GateAction Action)
{
    public bool AllPassed => Candidate.Gates.All(g => g.State == GateState.Passed);
}

/// <summary>
/// The gates of one stage for one candidate, as a pure function of the previous stage's status, the candidate's
/// record, the verification Job's outcome and the time: the previous stage Synced and Healthy at the revision
/// (for requireHealthyFor without a break), the verification Job, the approvals. A failed gate blocks; a
/// rejection rejects; all passed promotes when auto-promotion is on.
/// </summary>
internal static class GateEvaluator
{
    public static GateEvaluation Evaluate(string pipeline, StageSpec stage, string sourceStage, AppStatus source,
        Candidate candidate, VerificationResult? job, DateTimeOffset now)
    {
        var rev = candidate.Tag is { } tag ? $"{tag} ({Short(candidate.Revision)})" : Short(candidate.Revision);
        var atRevision = source.Revision?.Sha == candidate.SourceCommit && source.Sync == SyncState.Synced;
        var healthy = atRevision && source.Health == HealthState.Healthy;
        var healthySince = healthy ? candidate.HealthySince ?? now : (DateTimeOffset?)null;
        var gates = new List<GateStatus> { HealthyGate(stage, sourceStage, source, rev, atRevision, healthySince, now) };
        var action = GateAction.None;
        var next = candidate with { HealthySince = healthySince };

        if (stage.Gates?.Verification is { } verification)
        {
            var (gate, start) = VerificationGate(verification, sourceStage, candidate, job, healthy, rev, now);
            gates.Add(gate);
            action = start ? GateAction.StartVerification : action;
        }

        if (stage.Gates?.Approval is { Required: true } approval)
        {
            gates.Add(ApprovalGate(pipeline, stage, approval, candidate));
        }

        var failed = gates.Where(g => g.State == GateState.Failed).ToList();
        var phase = failed.Any(g => g.Kind == GateKind.Approval) ? CandidatePhase.Rejected
            : failed.Count > 0 ? CandidatePhase.Blocked
            : CandidatePhase.Waiting;
        var allPassed = gates.All(g => g.State == GateState.Passed);
        var message = failed.Count > 0 ? string.Join("; ", failed.Select(g => g.Message))
            : allPassed && !stage.AutoPromote ? $"all gates passed; auto-promotion is off: gitops pipeline promote {pipeline} --stage {stage.Name}"
            : allPassed ? "all gates passed: promoting"
            : string.Join("; ", gates.Where(g => g.State == GateState.Pending).Select(g => g.Message));
        next = next with { Gates = gates, Phase = phase, Message = message };
        if (allPassed && stage.AutoPromote && action == GateAction.None)
        {
            action = GateAction.Promote;
        }

        return new GateEvaluation(next, action);
    }

    private static GateStatus HealthyGate(StageSpec stage, string sourceStage, AppStatus source, string rev,
        bool atRevision, DateTimeOffset? healthySince, DateTimeOffset now)
    {
        var soak = PipelineDocuments.Duration(stage.Gates?.RequireHealthyFor, TimeSpan.Zero);
        if (!atRevision)
        {
            return new GateStatus(GateKind.Healthy, GateState.Pending,
                $"waiting for {sourceStage} to be Synced at {rev} (it is {source.Sync} at {Short(source.Revision?.Sha)})");
        }

        if (source.Health == HealthState.Degraded)
        {
            return new GateStatus(GateKind.Healthy, GateState.Failed, $"{sourceStage} is Degraded at {rev}");
        }

        if (healthySince is not { } since)
        {
            return new GateStatus(GateKind.Healthy, GateState.Pending, $"waiting for {sourceStage} to be Healthy at {rev} (it is {source.Health})");
        }

        var healthyFor = now - since;
        return healthyFor >= soak
            ? new GateStatus(GateKind.Healthy, GateState.Passed,
                soak > TimeSpan.Zero ? $"{sourceStage} Synced and Healthy at {rev} for {Format(soak)}" : $"{sourceStage} Synced and Healthy at {rev}")
            : new GateStatus(GateKind.Healthy, GateState.Pending,
                $"{sourceStage} Healthy at {rev} for {Format(healthyFor)} of {Format(soak)}");
    }

    private static (GateStatus Gate, bool Start) VerificationGate(VerificationSpec verification, string sourceStage,
        Candidate candidate, VerificationResult? job, bool healthy, string rev, DateTimeOffset now)
    {
        var previous = candidate.Gates.FirstOrDefault(g => g.Kind == GateKind.Verification);
        if (candidate.VerificationJob is not { } name)
        {
            return healthy
                ? (new GateStatus(GateKind.Verification, GateState.Pending, $"starting the verification Job in {sourceStage}"), true)
                : (new GateStatus(GateKind.Verification, GateState.Pending, $"runs once {sourceStage} is Synced and Healthy at {rev}"), false);
        }

        // A finished Job's verdict stands even when the Job is later deleted.
        if (previous is { State: GateState.Passed or GateState.Failed } && (job is null || job.Outcome == VerificationOutcome.Running))
        {
            return (previous, false);
        }

        var timeout = PipelineDocuments.Duration(verification.Timeout, TimeSpan.FromMinutes(10));
        return job switch
        {
            null => (new GateStatus(GateKind.Verification, GateState.Pending, $"Job {name} not found yet"), false),
            { Outcome: VerificationOutcome.Succeeded } => (new GateStatus(GateKind.Verification, GateState.Passed,
                $"Job {name} succeeded{Detail(job.Message)}") { Log = job.Log }, false),
            { Outcome: VerificationOutcome.Failed } => (new GateStatus(GateKind.Verification, GateState.Failed,
                $"verification Job {name} failed{Detail(job.Message)}") { Log = job.Log }, false),
            _ when now - (candidate.VerificationStartedAt ?? now) > timeout => (new GateStatus(GateKind.Verification,
                GateState.Failed, $"verification Job {name} did not succeed within {Format(timeout)}") { Log = job.Log }, false),
            _ => (new GateStatus(GateKind.Verification, GateState.Pending, $"Job {name} running{Detail(job.Message)}") { Log = job.Log }, false),
        };
    }

    private static GateStatus ApprovalGate(string pipeline, StageSpec stage, ApprovalSpec approval, Candidate candidate)
    {
        if (candidate.Approvals.FirstOrDefault(a => a.Decision == ApprovalDecision.Rejected) is { } rejection)
        {
            return new GateStatus(GateKind.Approval, GateState.Failed,
                $"rejected by {rejection.By}{(rejection.Comment.Length > 0 ? ": " + rejection.Comment : "")}");
        }

        var approvers = candidate.Approvals.Where(a => a.Decision == ApprovalDecision.Approved)
            .Select(a => a.By).Distinct(StringComparer.Ordinal).ToList();
        return approvers.Count >= approval.Count
            ? new GateStatus(GateKind.Approval, GateState.Passed, $"approved by {string.Join(", ", approvers)}")
            : new GateStatus(GateKind.Approval, GateState.Pending,
                $"waiting for {approval.Count - approvers.Count} approval(s): gitops pipeline approve {pipeline} --stage {stage.Name}");
    }

    private static string Detail(string message) => message.Length > 0 ? ": " + message : "";

    internal static string Short(string? sha) => sha is null ? "<none>" : sha.Length > 7 ? sha[..7] : sha;

    internal static string Format(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes}m{span.Seconds}s"
        : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m{span.Seconds}s"
        : $"{(int)span.TotalSeconds}s";
}
