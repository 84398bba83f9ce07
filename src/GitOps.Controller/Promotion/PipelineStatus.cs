using System.Text.Json.Serialization;
using GitOps.Engine;

namespace GitOps.Controller.Promotion;

/// <summary>Where a candidate revision stands at the stage it waits to enter.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CandidatePhase>))]
internal enum CandidatePhase
{
    /// <summary>Gates are being evaluated (or all passed and auto-promotion is off).</summary>
    Waiting,

    /// <summary>A gate failed (a failed verification, a Degraded source stage): nothing is promoted.</summary>
    Blocked,

    /// <summary>An approver rejected the revision for this stage.</summary>
    Rejected,

    /// <summary>Committed to the stage's branch.</summary>
    Promoted,

    /// <summary>A newer revision reached the previous stage before this one was promoted.</summary>
    Superseded,

    /// <summary>Promoted, then reverted by autoRollback (the stage turned Degraded): never promoted again automatically.</summary>
    RolledBack,
}

[JsonConverter(typeof(JsonStringEnumConverter<GateKind>))]
internal enum GateKind { Healthy, Verification, Approval }

[JsonConverter(typeof(JsonStringEnumConverter<GateState>))]
internal enum GateState { Pending, Passed, Failed }

[JsonConverter(typeof(JsonStringEnumConverter<ApprovalDecision>))]
internal enum ApprovalDecision { Approved, Rejected }

internal sealed record GateStatus(GateKind Kind, GateState State, string Message)
{
    /// <summary>Verification: the tail of the Job's logs, or its pods' termination messages.</summary>
    public IReadOnlyList<string> Log { get; init; } = [];
}

internal sealed record ApprovalRecord(string By, DateTimeOffset At, ApprovalDecision Decision, string Comment = "");

/// <summary>One revision on its way into one stage. <see cref="Revision"/> is the origin commit (what the first
/// stage ran: a tagged commit of the source); <see cref="SourceCommit"/> is what the previous stage runs (the
/// same commit, or the promotion commit on its branch with the same tree).</summary>
internal sealed record Candidate
{
    public string Revision { get; init; } = "";
    public string SourceCommit { get; init; } = "";
    public string? Tag { get; init; }
    public string Subject { get; init; } = "";
    public CandidatePhase Phase { get; init; } = CandidatePhase.Waiting;
    public DateTimeOffset Since { get; init; }
    public string Message { get; init; } = "";
    public IReadOnlyList<GateStatus> Gates { get; init; } = [];
    public IReadOnlyList<ApprovalRecord> Approvals { get; init; } = [];

    /// <summary>Since when the previous stage is Synced and Healthy at the revision without a break.</summary>
    public DateTimeOffset? HealthySince { get; init; }

    public string? VerificationJob { get; init; }
    public DateTimeOffset? VerificationStartedAt { get; init; }

    /// <summary>Set by an admin's promote: promote now, whatever the gates say.</summary>
    public string? OverriddenBy { get; init; }

    /// <summary>Set by a promote while auto-promotion is off: promote once the gates pass.</summary>
    public string? RequestedBy { get; init; }

    public string? PromotedCommit { get; init; }
    public DateTimeOffset? PromotedAt { get; init; }

    /// <summary>The revert commit autoRollback pushed on the stage's branch.</summary>
    public string? RolledBackCommit { get; init; }
    public DateTimeOffset? RolledBackAt { get; init; }

    public bool Open => Phase is CandidatePhase.Waiting or CandidatePhase.Blocked;
}

/// <summary>What a stage runs now, as its Application reports it, traced back to the origin revision.</summary>
internal sealed record StageCurrent(string Commit, string Revision, string? Tag, SyncState Sync, HealthState Health);

internal sealed record StageStatus
{
    public string Name { get; init; } = "";
    public StageCurrent? Current { get; init; }

    /// <summary>The revision waiting to enter this stage (none for the first stage).</summary>
    public Candidate? Candidate { get; init; }

    /// <summary>Earlier candidates (promoted, superseded, rejected), newest last, bounded.</summary>
    public IReadOnlyList<Candidate> Past { get; init; } = [];
}

/// <summary>Everything the controller keeps about one pipeline; persisted (approvals survive a restart).</summary>
internal sealed record PipelineStatus
{
    public IReadOnlyList<StageStatus> Stages { get; init; } = [];

    /// <summary>Why the pipeline cannot be evaluated (a missing application, a stage not on a branch), or null.</summary>
    public string? Error { get; init; }

    public DateTimeOffset? EvaluatedAt { get; init; }

    public StageStatus Stage(string name) => Stages.FirstOrDefault(s => s.Name == name) ?? new StageStatus { Name = name };

    public PipelineStatus WithStage(StageStatus stage) => this with
    {
        Stages = Stages.Any(s => s.Name == stage.Name)
            ? [.. Stages.Select(s => s.Name == stage.Name ? stage : s)]
            : [.. Stages, stage],
    };
}
