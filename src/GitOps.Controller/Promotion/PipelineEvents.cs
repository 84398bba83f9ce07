using GitOps.Controller.State;

namespace GitOps.Controller.Promotion;

/// <summary>
/// Derives a pipeline's transitions from two consecutive statuses (as <see cref="AppEventDetector"/> does for apps),
/// so the runner needs no event calls: per stage and revision, the candidate starting to wait for approval
/// (ApprovalRequired), being blocked (VerificationFailed when its verification failed, else PromotionBlocked),
/// rejected (Rejected), promoted (Promoted) and rolled back by autoRollback (RolledBack). A state already reached in
/// <c>before</c> raises nothing, so re-evaluations and restarts that read the status back are quiet.
/// </summary>
internal static class PipelineEventDetector
{
    public static IReadOnlyList<AppEvent> Detect(PipelineStatus before, PipelineStatus after)
    {
        var events = new List<AppEvent>();
        foreach (var stage in after.Stages)
        {
            var earlier = before.Stage(stage.Name);
            var known = Candidates(earlier).GroupBy(c => c.Revision).ToDictionary(g => g.Key, g => g.Last());
            foreach (var candidate in Candidates(stage))
            {
                var was = known.GetValueOrDefault(candidate.Revision);
                if (Transition(stage.Name, candidate, was) is { } e)
                {
                    events.Add(e);
                }
            }
        }

        return events;
    }

    private static AppEvent? Transition(string stage, Candidate now, Candidate? was)
    {
        var rev = now.Tag is { } tag ? $"{tag} ({GateEvaluator.Short(now.Revision)})" : GateEvaluator.Short(now.Revision);
        if (now.Phase != was?.Phase)
        {
            switch (now.Phase)
            {
                case CandidatePhase.Promoted when now.PromotedCommit is { } commit:
                    return new AppEvent(AppEvent.Normal, "Promoted", $"{rev} promoted to {stage} in {GateEvaluator.Short(commit)}" +
                        (now.OverriddenBy is { } by ? $" (gates overridden by {by})" : ""));
                case CandidatePhase.RolledBack:
                    return new AppEvent(AppEvent.Warning, "RolledBack", $"{rev} at {stage}: {now.Message}");
                case CandidatePhase.Rejected:
                    return new AppEvent(AppEvent.Normal, "Rejected", $"{rev} for {stage}: {now.Message}");
                case CandidatePhase.Blocked:
                    var verification = now.Gates.FirstOrDefault(g => g is { Kind: GateKind.Verification, State: GateState.Failed });
                    return verification is not null
                        ? new AppEvent(AppEvent.Warning, "VerificationFailed", $"{rev} for {stage}: {verification.Message}")
                        : new AppEvent(AppEvent.Warning, "PromotionBlocked", $"{rev} for {stage}: {now.Message}");
            }
        }

        return AwaitsApproval(now) && (was is null || !AwaitsApproval(was))
            ? new AppEvent(AppEvent.Normal, "ApprovalRequired", $"{rev} waits for approval to enter {stage}: {now.Message}")
            : null;
    }

    // Waiting, with every gate but the approval passed: a person is what it waits for.
    private static bool AwaitsApproval(Candidate candidate) =>
        candidate.Phase == CandidatePhase.Waiting
        && candidate.Gates.Any(g => g is { Kind: GateKind.Approval, State: GateState.Pending })
        && candidate.Gates.All(g => g.Kind == GateKind.Approval || g.State == GateState.Passed);

    private static IEnumerable<Candidate> Candidates(StageStatus stage) =>
        stage.Candidate is { } current ? [.. stage.Past, current] : stage.Past;
}
