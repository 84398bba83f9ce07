using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Api.V1;
using Google.Protobuf;

namespace GitOps.Cli.Output;

/// <summary>Pipelines as tables for people; as JSON/YAML in the contract's own JSON mapping (lowerCamelCase
/// fields, enum names), the same a JSON-transcoding client sees.</summary>
internal static class PipelinePrinter
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static JsonNode ToJson(IMessage message) => JsonNode.Parse(Formatter.Format(message))!;

    public static string Table(IEnumerable<Pipeline> pipelines) =>
        AppPrinter.Columns(["NAME", "STAGES", "WAITING", "ERROR"], pipelines.Select(p => new[]
        {
            p.Name,
            string.Join(" → ", p.Stages.Select(s => $"{s.Name}@{Revision(s.Current)}")),
            string.Join(", ", p.Stages.Where(s => s.Candidate is { Phase: CandidatePhase.Waiting or CandidatePhase.Blocked or CandidatePhase.Rejected })
                .Select(s => $"{s.Name}: {Name(s.Candidate.Revision, s.Candidate.Tag)} {Phase(s.Candidate.Phase)}")),
            p.Error,
        }));

    public static string Details(Pipeline p)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Name:      {p.Name}\n");
        if (p.Error.Length > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Error:     {p.Error}\n");
        }

        foreach (var s in p.Stages)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\nStage {s.Name} (application {s.Application}, ")
                .Append(s.Branch.Length > 0 ? $"branch {s.Branch}, auto-promote {(s.AutoPromote ? "on" : "off")})\n" : $"follows {s.Source})\n");
            sb.Append(CultureInfo.InvariantCulture, $"  Current:   {(s.Current is { } c ? $"{Revision(c)} ({c.SyncStatus}/{c.HealthStatus}){(c.Commit != c.Revision ? " commit " + AppPrinter.ShortSha(c.Commit) : "")}" : "<none>")}\n");
            if (s.Candidate is not { } candidate)
            {
                continue;
            }

            sb.Append(CultureInfo.InvariantCulture, $"  Candidate: {Name(candidate.Revision, candidate.Tag)} {Phase(candidate.Phase)}: {candidate.Message}\n");
            foreach (var g in candidate.Gates)
            {
                sb.Append(CultureInfo.InvariantCulture, $"    {g.Kind,-13} {GateText(g.State),-8} {g.Message}\n");
                foreach (var line in g.Log)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"      | {line}\n");
                }
            }

            foreach (var a in candidate.Approvals)
            {
                sb.Append(CultureInfo.InvariantCulture, $"    {a.Decision} by {a.By} at {a.At?.ToDateTimeOffset():yyyy-MM-dd HH:mm:ss}{(a.Comment.Length > 0 ? ": " + a.Comment : "")}\n");
            }

            if (candidate.PromotedCommit.Length > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"    promoted in {AppPrinter.ShortSha(candidate.PromotedCommit)}{(candidate.OverriddenBy.Length > 0 ? $" (gates overridden by {candidate.OverriddenBy})" : "")}\n");
            }

            if (candidate.RolledBackCommit.Length > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"    rolled back in {AppPrinter.ShortSha(candidate.RolledBackCommit)}\n");
            }
        }

        return sb.ToString();
    }

    public static string History(IEnumerable<PromotionRecord> entries) =>
        AppPrinter.Columns(["DATE", "STAGE", "COMMIT", "KIND", "REVISION", "APPROVED-BY", "SUBJECT"], entries.Select(e => new[]
        {
            e.At?.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "",
            e.Stage, AppPrinter.ShortSha(e.Commit), e.Kind,
            e.Revision.Length > 0 ? Name(e.Revision, e.Tag) : "", string.Join(",", e.ApprovedBy),
            e.RollbackReason.Length > 0 ? $"{e.Subject} (autoRollback: {e.RollbackReason})" : e.Subject,
        }));

    /// <summary>One line per stage: what it runs, and the candidate's phase and why (`pipeline watch`).</summary>
    public static IEnumerable<(string Stage, string Line)> StageLines(Pipeline p) => p.Error.Length > 0
        ? [("", $"error: {p.Error}")]
        : p.Stages.Select(s => (s.Name, $"{s.Name}: {(s.Current is { } c ? $"{Revision(c)} {c.SyncStatus}/{c.HealthStatus}" : "<none>")}" +
            (s.Candidate is { } candidate ? $" · {Name(candidate.Revision, candidate.Tag)} {Phase(candidate.Phase)}: {candidate.Message}" : "")));

    /// <summary>A phase as `--until` spells it (waiting, rolled-back, …).</summary>
    public static CandidatePhase? ParsePhase(string text) => text.ToLowerInvariant().Replace("-", "", StringComparison.Ordinal) switch
    {
        "waiting" => CandidatePhase.Waiting,
        "blocked" => CandidatePhase.Blocked,
        "rejected" => CandidatePhase.Rejected,
        "promoted" => CandidatePhase.Promoted,
        "superseded" => CandidatePhase.Superseded,
        "rolledback" => CandidatePhase.RolledBack,
        _ => null,
    };

    public static string Phase(CandidatePhase phase) => phase switch
    {
        CandidatePhase.Waiting => "Waiting",
        CandidatePhase.Blocked => "Blocked",
        CandidatePhase.Rejected => "Rejected",
        CandidatePhase.Promoted => "Promoted",
        CandidatePhase.Superseded => "Superseded",
        CandidatePhase.RolledBack => "RolledBack",
        _ => "Unknown",
    };

    private static string GateText(GateState state) => state switch
    {
        GateState.Passed => "passed",
        GateState.Failed => "failed",
        _ => "pending",
    };

    private static string Revision(StageRevision? current) =>
        current is null ? "<none>" : Name(current.Revision, current.Tag);

    private static string Name(string revision, string tag) =>
        tag.Length > 0 ? $"{tag}({AppPrinter.ShortSha(revision)})" : AppPrinter.ShortSha(revision);
}
