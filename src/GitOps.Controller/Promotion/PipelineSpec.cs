using System.Text.Json.Nodes;

namespace GitOps.Controller.Promotion;

/// <summary>A promotion pipeline as declared (Pipeline object, or a document of the --pipelines file).</summary>
internal sealed record Pipeline(string Name, PipelineSpec Spec)
{
    public IEnumerable<string> Applications => Spec.Stages.Select(s => s.Application);

    public StageSpec? Stage(string name) => Spec.Stages.FirstOrDefault(s => s.Name == name);
}

/// <summary>Ordered stages (docs/pipelines.md). The first stage's Application follows the source (a branch or a
/// semver range of tags such as <c>v*</c>); every later stage's Application follows its own branch (its
/// targetRevision, e.g. <c>env/prod</c>), which only promotion commits move.</summary>
internal sealed record PipelineSpec
{
    public IReadOnlyList<StageSpec> Stages { get; init; } = [];
}

internal sealed record StageSpec
{
    public string Name { get; init; } = "";

    /// <summary>The Application this stage is (by name).</summary>
    public string Application { get; init; } = "";

    /// <summary>Promote as soon as every gate passes (default); false: wait for `gitops pipeline promote`.</summary>
    public bool AutoPromote { get; init; } = true;

    /// <summary>What the previous stage must show at the candidate revision before it may enter this stage.</summary>
    public GatesSpec? Gates { get; init; }

    /// <summary>Revert a promotion that turns this stage Degraded within a window (absent: never).</summary>
    public AutoRollbackSpec? AutoRollback { get; init; }
}

/// <summary>When the revision promoted into the stage makes its app Degraded (Synced at the promotion commit)
/// within <see cref="Window"/> of the promotion, the promotion commit is reverted on the stage's branch.</summary>
internal sealed record AutoRollbackSpec
{
    /// <summary>How long after a promotion a Degraded stage reverts it (a Go duration; default 10m).</summary>
    public string Window { get; init; } = "10m";
}

internal sealed record GatesSpec
{
    /// <summary>The previous stage Synced and Healthy at the revision continuously this long (a Go duration).</summary>
    public string? RequireHealthyFor { get; init; }

    public VerificationSpec? Verification { get; init; }

    public ApprovalSpec? Approval { get; init; }
}

/// <summary>A Job run in the previous stage's namespace once it is Synced and Healthy at the revision.</summary>
internal sealed record VerificationSpec
{
    /// <summary>The Job's spec (batch/v1 JobSpec): its template runs the checks.</summary>
    public JsonObject? Job { get; init; }

    /// <summary>The Job fails the gate when it has not succeeded within this (a Go duration; default 10m).</summary>
    public string Timeout { get; init; } = "10m";
}

internal sealed record ApprovalSpec
{
    public bool Required { get; init; } = true;

    /// <summary>How many distinct approvers must approve the revision.</summary>
    public int Count { get; init; } = 1;
}
