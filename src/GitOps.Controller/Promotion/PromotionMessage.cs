using System.Globalization;
using System.Text;

namespace GitOps.Controller.Promotion;

/// <summary>The promotion commit's message: a subject naming the revision and its tag, the gates it passed and
/// who approved it, and trailers (`git interpret-trailers` format) that let the controller — and anyone with
/// `git log` — trace a stage's commit back to the revision it promoted.</summary>
internal static class PromotionMessage
{
    public const string PipelineTrailer = "Gitops-Pipeline";
    public const string StageTrailer = "Gitops-Stage";
    public const string FromTrailer = "Gitops-From-Stage";
    public const string RevisionTrailer = "Gitops-Revision";
    public const string TagTrailer = "Gitops-Tag";
    public const string ApprovedByTrailer = "Gitops-Approved-By";
    public const string OverrideTrailer = "Gitops-Override-By";
    public const string RollbackOfTrailer = "Gitops-Rollback-Of";
    public const string RollbackReasonTrailer = "Gitops-Rollback-Reason";

    /// <summary>autoRollback's revert message, as a template of GitOps.Source's revert ({subject} and {sha} are the
    /// reverted promotion's): git's own revert wording, then why, and trailers naming the pipeline and stage.</summary>
    public static string RevertTemplate(string pipeline, string stage, string reason)
    {
        // The reason is ours (stage name, tag, durations); braces would be read as placeholders.
        reason = reason.Replace("{", "(", StringComparison.Ordinal).Replace("}", ")", StringComparison.Ordinal).ReplaceLineEndings(" ");
        return $"""
            Revert "{"{subject}"}"

            This reverts commit {"{sha}"}.

            Pipeline {pipeline} rolled stage {stage} back automatically: {reason}.

            {PipelineTrailer}: {pipeline}
            {StageTrailer}: {stage}
            {RollbackOfTrailer}: {"{sha}"}
            {RollbackReasonTrailer}: {reason}

            """;
    }

    public static string Build(string pipeline, string fromStage, string toStage, Candidate candidate, string? overriddenBy)
    {
        var name = candidate.Tag is { } tag ? $"{tag} ({GateEvaluator.Short(candidate.Revision)})" : GateEvaluator.Short(candidate.Revision);
        var approvers = candidate.Approvals.Where(a => a.Decision == ApprovalDecision.Approved).ToList();
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Promote {name} to {toStage}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Pipeline {pipeline} promotes revision {candidate.Revision}");
        sb.Append(candidate.Tag is null ? "" : $" (tag {candidate.Tag})");
        sb.Append(CultureInfo.InvariantCulture, $" from stage {fromStage} to stage {toStage}.\n");
        if (candidate.Subject.Length > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Revision subject: {candidate.Subject}\n");
        }

        sb.Append("\nGates:\n");
        foreach (var gate in candidate.Gates)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- {gate.Kind.ToString().ToLowerInvariant()}: {gate.State.ToString().ToLowerInvariant()}: {gate.Message}\n");
        }

        foreach (var approval in approvers)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- approved by {approval.By} at {approval.At.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}{(approval.Comment.Length > 0 ? ": " + approval.Comment : "")}\n");
        }

        if (overriddenBy is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- gates overridden by {overriddenBy}\n");
        }

        sb.Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"{PipelineTrailer}: {pipeline}\n");
        sb.Append(CultureInfo.InvariantCulture, $"{StageTrailer}: {toStage}\n");
        sb.Append(CultureInfo.InvariantCulture, $"{FromTrailer}: {fromStage}\n");
        sb.Append(CultureInfo.InvariantCulture, $"{RevisionTrailer}: {candidate.Revision}\n");
        if (candidate.Tag is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{TagTrailer}: {candidate.Tag}\n");
        }

        foreach (var approval in approvers)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{ApprovedByTrailer}: {approval.By}\n");
        }

        if (overriddenBy is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{OverrideTrailer}: {overriddenBy}\n");
        }

        return sb.ToString();
    }
}
