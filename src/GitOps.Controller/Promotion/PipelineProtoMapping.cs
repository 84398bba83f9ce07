using GitOps.Controller.Applications;
using Google.Protobuf.WellKnownTypes;
using V1 = GitOps.Api.V1;

namespace GitOps.Controller.Promotion;

/// <summary>The one place pipeline status becomes the proto's messages, enums and strings.</summary>
internal static class PipelineProtoMapping
{
    public static V1.Pipeline ToProto(Pipeline pipeline, PipelineStatus status, ApplicationRegistry apps)
    {
        var result = new V1.Pipeline { Name = pipeline.Name, Error = status.Error ?? "" };
        if (status.EvaluatedAt is { } at)
        {
            result.EvaluatedAt = Timestamp.FromDateTimeOffset(at);
        }

        foreach (var (spec, index) in pipeline.Spec.Stages.Select((s, i) => (s, i)))
        {
            var stage = status.Stage(spec.Name);
            var targetRevision = apps.Find(spec.Application)?.Spec.Source.TargetRevision ?? "";
            var proto = new V1.Stage
            {
                Name = spec.Name,
                Application = spec.Application,
                AutoPromote = spec.AutoPromote,
                Branch = index == 0 ? "" : targetRevision,
                Source = index == 0 ? targetRevision : "",
            };
            if (stage.Current is { } current)
            {
                proto.Current = new V1.StageRevision
                {
                    Commit = current.Commit,
                    Revision = current.Revision,
                    Tag = current.Tag ?? "",
                    SyncStatus = current.Sync.ToString(),
                    HealthStatus = current.Health.ToString(),
                };
            }

            if (stage.Candidate is { } candidate)
            {
                proto.Candidate = ToProto(candidate);
            }

            proto.Past.AddRange(stage.Past.Select(ToProto));
            result.Stages.Add(proto);
        }

        return result;
    }

    public static V1.Candidate ToProto(Candidate candidate)
    {
        var proto = new V1.Candidate
        {
            Revision = candidate.Revision,
            SourceCommit = candidate.SourceCommit,
            Tag = candidate.Tag ?? "",
            Subject = candidate.Subject,
            Phase = candidate.Phase switch
            {
                CandidatePhase.Waiting => V1.CandidatePhase.Waiting,
                CandidatePhase.Blocked => V1.CandidatePhase.Blocked,
                CandidatePhase.Rejected => V1.CandidatePhase.Rejected,
                CandidatePhase.Promoted => V1.CandidatePhase.Promoted,
                CandidatePhase.Superseded => V1.CandidatePhase.Superseded,
                CandidatePhase.RolledBack => V1.CandidatePhase.RolledBack,
                _ => V1.CandidatePhase.Unspecified,
            },
            Message = candidate.Message,
            Since = Timestamp.FromDateTimeOffset(candidate.Since),
            PromotedCommit = candidate.PromotedCommit ?? "",
            OverriddenBy = candidate.OverriddenBy ?? "",
            VerificationJob = candidate.VerificationJob ?? "",
            RolledBackCommit = candidate.RolledBackCommit ?? "",
        };
        if (candidate.PromotedAt is { } promotedAt)
        {
            proto.PromotedAt = Timestamp.FromDateTimeOffset(promotedAt);
        }

        if (candidate.RolledBackAt is { } rolledBackAt)
        {
            proto.RolledBackAt = Timestamp.FromDateTimeOffset(rolledBackAt);
        }

        proto.Gates.AddRange(candidate.Gates.Select(g =>
        {
            var gate = new V1.Gate
            {
                Kind = g.Kind.ToString().ToLowerInvariant(),
                State = g.State switch
                {
                    GateState.Pending => V1.GateState.Pending,
                    GateState.Passed => V1.GateState.Passed,
                    GateState.Failed => V1.GateState.Failed,
                    _ => V1.GateState.Unspecified,
                },
                Message = g.Message,
            };
            gate.Log.AddRange(g.Log);
            return gate;
        }));
        proto.Approvals.AddRange(candidate.Approvals.Select(a => new V1.Approval
        {
            By = a.By,
            At = Timestamp.FromDateTimeOffset(a.At),
            Decision = a.Decision.ToString().ToLowerInvariant(),
            Comment = a.Comment,
        }));
        return proto;
    }

    /// <summary>A commit of a stage branch as the history reports it: a promotion (by its trailers), a revert, or
    /// another commit someone pushed.</summary>
    public static V1.PromotionRecord ToProto(string stage, CommitInfo commit)
    {
        var promotion = commit.Trailers.ContainsKey(PromotionMessage.RevisionTrailer);
        var record = new V1.PromotionRecord
        {
            Stage = stage,
            Commit = commit.Sha,
            Kind = promotion ? "promotion" : commit.Subject.StartsWith("Revert ", StringComparison.Ordinal) ? "revert" : "other",
            Revision = promotion ? commit.Origin : "",
            Tag = promotion ? commit.Trailers.GetValueOrDefault(PromotionMessage.TagTrailer) ?? "" : "",
            Subject = commit.Subject,
            Author = commit.Author,
            At = Timestamp.FromDateTimeOffset(commit.Date),
            OverriddenBy = commit.Trailers.GetValueOrDefault(PromotionMessage.OverrideTrailer) ?? "",
            RollbackReason = promotion ? "" : commit.Trailers.GetValueOrDefault(PromotionMessage.RollbackReasonTrailer) ?? "",
        };
        record.ApprovedBy.AddRange(commit.Message.Split('\n')
            .Where(l => l.StartsWith(PromotionMessage.ApprovedByTrailer + ": ", StringComparison.Ordinal))
            .Select(l => l[(PromotionMessage.ApprovedByTrailer.Length + 2)..].Trim()));
        return record;
    }
}
