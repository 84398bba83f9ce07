using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Controller.Applications;
using GitOps.Controller.Notifications;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;

namespace GitOps.Controller.Promotion;

/// <summary>
/// Moves revisions through one pipeline: traces what each stage runs back to its origin revision, keeps one
/// candidate per stage (a newer revision supersedes a waiting one), evaluates its gates, starts verification
/// Jobs, and promotes by a commit on the stage's branch, then queues the stage's app. It reads app status only
/// from the state store and changes apps only through git and the work queue. Evaluations and user operations
/// (approve, reject, promote) of one pipeline never overlap.
/// </summary>
internal sealed class PipelineRunner(
    PipelineRegistry pipelines,
    ApplicationRegistry apps,
    IStateStore appStatus,
    IPipelineStateStore store,
    IPromotionGit git,
    IVerificationJobs jobs,
    WorkQueue queue,
    PipelineHub hub,
    TimeProvider clock,
    ILogger<PipelineRunner> logger,
    IPipelineNotifier? notifier = null)
{
    private const int PastLimit = 10;
    private readonly KeyedLock locks = new();
    private readonly RevisionTracer tracer = new(git);

    /// <summary>One evaluation of every stage of the pipeline.</summary>
    public Task<PipelineStatus> EvaluateAsync(string name, CancellationToken cancellationToken) =>
        WithLockAsync(name, cancellationToken, async pipeline =>
        {
            var status = await store.GetAsync(name, cancellationToken);
            var next = await EvaluateStagesAsync(pipeline, status, cancellationToken);
            await SaveAsync(name, next, cancellationToken);
            return next;
        });

    /// <summary>Records an approval or a rejection of the stage's candidate (which must be <paramref name="revision"/>
    /// when given), then evaluates: an approval that completes the gates promotes.</summary>
    public Task<PipelineStatus> DecideAsync(string name, string stage, string? revision, string by, ApprovalDecision decision,
        string comment, CancellationToken cancellationToken) =>
        WithLockAsync(name, cancellationToken, async pipeline =>
        {
            var (spec, index) = RequireStage(pipeline, stage);
            if (index == 0)
            {
                throw new AppOperationException(AppError.InvalidArgument,
                    $"stage '{stage}' is the first stage of pipeline '{name}': it follows its source, nothing is promoted into it");
            }

            if (spec.Gates?.Approval is not { Required: true })
            {
                throw new AppOperationException(AppError.FailedPrecondition, $"stage '{stage}' of pipeline '{name}' has no approval gate");
            }

            var status = await EvaluateStagesAsync(pipeline, await store.GetAsync(name, cancellationToken), cancellationToken);
            var candidate = RequireCandidate(name, stage, status, revision);
            if (!candidate.Open)
            {
                throw new AppOperationException(AppError.FailedPrecondition,
                    $"{Describe(candidate)} is {candidate.Phase} at stage '{stage}': nothing to {(decision == ApprovalDecision.Approved ? "approve" : "reject")}");
            }

            if (candidate.Approvals.Any(a => a.By == by && a.Decision == decision))
            {
                return status; // the same approver twice counts once
            }

            var record = new ApprovalRecord(by, clock.GetUtcNow(), decision, comment);
            status = status.WithStage(status.Stage(stage) with { Candidate = candidate with { Approvals = [.. candidate.Approvals, record] } });
            logger.LogInformation("Pipeline {Pipeline}: {Revision} {Decision} for stage {Stage} by {By}",
                name, Describe(candidate), decision, stage, by);
            status = await EvaluateStagesAsync(pipeline, status, cancellationToken);
            await SaveAsync(name, status, cancellationToken);
            return status;
        });

    /// <summary>Promotes the stage's candidate now: when every gate passed (auto-promotion off), or — with
    /// <paramref name="force"/>, an admin's override — whatever the gates say.</summary>
    public Task<(PipelineStatus Status, Candidate Promoted)> PromoteAsync(string name, string stage, string? revision, bool force,
        string by, CancellationToken cancellationToken) =>
        WithLockAsync(name, cancellationToken, async pipeline =>
        {
            var (_, index) = RequireStage(pipeline, stage);
            if (index == 0)
            {
                throw new AppOperationException(AppError.InvalidArgument, $"stage '{stage}' is the first stage of pipeline '{name}': it follows its source");
            }

            var status = await EvaluateStagesAsync(pipeline, await store.GetAsync(name, cancellationToken), cancellationToken);
            var candidate = RequireCandidate(name, stage, status, revision);
            if (candidate.Phase == CandidatePhase.Promoted && !force)
            {
                throw new AppOperationException(AppError.FailedPrecondition, $"{Describe(candidate)} is already promoted to '{stage}'");
            }

            if (candidate.Phase == CandidatePhase.RolledBack && !force)
            {
                throw new AppOperationException(AppError.FailedPrecondition,
                    $"{Describe(candidate)} was rolled back at '{stage}' ({candidate.Message}); an admin may promote it again with --force");
            }

            if (!force && candidate.Gates.Any(g => g.State != GateState.Passed))
            {
                throw new AppOperationException(AppError.FailedPrecondition,
                    $"gates of stage '{stage}' have not passed for {Describe(candidate)}: {candidate.Message} (an admin may override with --force)");
            }

            var promoted = await CommitPromotionAsync(pipeline, index, candidate, force ? by : null, cancellationToken);
            status = status.WithStage(status.Stage(stage) with { Candidate = promoted });
            await SaveAsync(name, status, cancellationToken);
            return (status, promoted);
        });

    private async Task<PipelineStatus> EvaluateStagesAsync(Pipeline pipeline, PipelineStatus status, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var error = Check(pipeline);
        status = status with { EvaluatedAt = now, Error = error };
        if (error is not null)
        {
            return status;
        }

        var repo = apps.Find(pipeline.Spec.Stages[0].Application)!.Spec.Source.RepoUrl;
        StageCurrent? previous = null;
        AppStatus? previousStatus = null;
        for (var i = 0; i < pipeline.Spec.Stages.Count; i++)
        {
            var spec = pipeline.Spec.Stages[i];
            var app = apps.Find(spec.Application)!;
            var current = await appStatus.GetAsync(app.Name, cancellationToken);
            var stage = status.Stage(spec.Name) with
            {
                Current = await tracer.TraceAsync(repo, i == 0 ? null : app.Spec.Source.TargetRevision, current, cancellationToken),
            };
            if (i > 0 && AutoRollback.Check(spec, stage, now) is { } rollback)
            {
                stage = await RollBackAsync(pipeline, spec, app, stage, rollback, now, cancellationToken);
            }

            if (i > 0 && previous is not null && previousStatus is not null)
            {
                stage = await AdvanceAsync(pipeline, i, stage, previous, previousStatus, repo, app.Spec.Source.TargetRevision, now, cancellationToken);
            }

            status = status.WithStage(stage);
            (previous, previousStatus) = (stage.Current, current);
        }

        // Stages removed from the spec are dropped; the order is the spec's.
        return status with { Stages = [.. pipeline.Spec.Stages.Select(s => status.Stage(s.Name))] };
    }

    private async Task<StageStatus> AdvanceAsync(Pipeline pipeline, int index, StageStatus stage, StageCurrent source,
        AppStatus sourceStatus, string repo, string branch, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var spec = pipeline.Spec.Stages[index];
        var from = pipeline.Spec.Stages[index - 1];
        var candidate = stage.Candidate;
        var past = stage.Past;
        if (candidate is null || candidate.Revision != source.Revision)
        {
            if (candidate is not null)
            {
                past = [.. past, candidate.Open
                    ? candidate with { Phase = CandidatePhase.Superseded, Message = $"superseded by {Describe(source.Revision, source.Tag)}" }
                    : candidate];
                if (candidate.Open)
                {
                    logger.LogInformation("Pipeline {Pipeline}: {Old} superseded by {New} at stage {Stage}",
                        pipeline.Name, Describe(candidate), Describe(source.Revision, source.Tag), spec.Name);
                }
            }

            var origin = await tracer.DescribeAsync(repo, source.Revision, cancellationToken);
            candidate = new Candidate
            {
                Revision = source.Revision,
                SourceCommit = source.Commit,
                Tag = source.Tag,
                Subject = origin?.Subject ?? "",
                Since = now,
            };

            // Promoted before (a restart, or a revert since): never promoted again automatically.
            var log = await git.LogAsync(repo, branch, 200, cancellationToken);
            if (log.FirstOrDefault(c => c.Trailers.GetValueOrDefault(PromotionMessage.RevisionTrailer) == source.Revision) is { } earlier)
            {
                candidate = candidate with
                {
                    Phase = CandidatePhase.Promoted,
                    PromotedCommit = earlier.Sha,
                    PromotedAt = earlier.Date,
                    Message = $"promoted in {GateEvaluator.Short(earlier.Sha)}",
                };
            }
        }
        else if (candidate.SourceCommit != source.Commit)
        {
            candidate = candidate with { SourceCommit = source.Commit };
        }

        if (candidate.Open)
        {
            var job = candidate.VerificationJob is { } jobName
                ? await jobs.GetAsync(SourceNamespace(from), jobName, cancellationToken)
                : null;
            var evaluation = GateEvaluator.Evaluate(pipeline.Name, spec, from.Name, sourceStatus, candidate, job, now);
            candidate = evaluation.Candidate;
            if (evaluation.Action == GateAction.StartVerification)
            {
                candidate = await StartVerificationAsync(pipeline, spec, from, candidate, now, cancellationToken);
            }
            else if (evaluation.Action == GateAction.Promote)
            {
                candidate = await CommitPromotionAsync(pipeline, index, candidate, null, cancellationToken);
            }
        }

        return stage with { Candidate = candidate, Past = [.. past.TakeLast(PastLimit)] };
    }

    private async Task<Candidate> StartVerificationAsync(Pipeline pipeline, StageSpec spec, StageSpec from, Candidate candidate,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var name = $"{pipeline.Name}-{spec.Name}-{GateEvaluator.Short(candidate.Revision)}";
        name = name.Length > 63 ? name[..55].TrimEnd('-') + "-" + GateEvaluator.Short(candidate.Revision) : name;
        var labels = new Dictionary<string, string>
        {
            ["gitops.dev/pipeline"] = pipeline.Name,
            ["gitops.dev/stage"] = spec.Name,
            ["gitops.dev/revision"] = candidate.Revision,
        };
        await jobs.StartAsync(SourceNamespace(from), name, (JsonObject)spec.Gates!.Verification!.Job!.DeepClone(), labels, cancellationToken);
        logger.LogInformation("Pipeline {Pipeline}: verification Job {Job} started in {Namespace} for {Revision}",
            pipeline.Name, name, SourceNamespace(from), Describe(candidate));
        return candidate with { VerificationJob = name, VerificationStartedAt = now };
    }

    private async Task<Candidate> CommitPromotionAsync(Pipeline pipeline, int index, Candidate candidate, string? overriddenBy,
        CancellationToken cancellationToken)
    {
        var spec = pipeline.Spec.Stages[index];
        var app = apps.Find(spec.Application)!;
        var message = PromotionMessage.Build(pipeline.Name, pipeline.Spec.Stages[index - 1].Name, spec.Name, candidate, overriddenBy);
        var commit = await git.PromoteAsync(app.Spec.Source.RepoUrl, app.Spec.Source.TargetRevision, candidate.SourceCommit, message, cancellationToken);
        queue.Add(app.Name, Trigger.Webhook);
        logger.LogInformation("Pipeline {Pipeline}: {Revision} promoted to {Stage} in {Commit}{Override}", pipeline.Name,
            Describe(candidate), spec.Name, commit.Sha, overriddenBy is null ? "" : $" (gates overridden by {overriddenBy})");
        return candidate with
        {
            Phase = CandidatePhase.Promoted,
            PromotedCommit = commit.Sha,
            PromotedAt = clock.GetUtcNow(),
            OverriddenBy = overriddenBy,
            Message = commit.Created ? $"promoted in {GateEvaluator.Short(commit.Sha)}" : $"{spec.Name} already had this tree ({GateEvaluator.Short(commit.Sha)})",
        };
    }

    /// <summary>autoRollback: reverts the promotion commit on the stage's branch (a new commit, fast-forward), marks
    /// the candidate RolledBack (so it is not promoted again automatically) and queues the stage's app.</summary>
    private async Task<StageStatus> RollBackAsync(Pipeline pipeline, StageSpec spec, Application app, StageStatus stage,
        RollbackDecision decision, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var promoted = decision.Promoted;
        var revert = await git.RevertAsync(app.Spec.Source.RepoUrl, app.Spec.Source.TargetRevision, promoted.PromotedCommit!,
            PromotionMessage.RevertTemplate(pipeline.Name, spec.Name, decision.Reason), cancellationToken);
        queue.Add(app.Name, Trigger.Rollback);
        logger.LogWarning("Pipeline {Pipeline}: {Revision} rolled back at stage {Stage} by revert {Commit}: {Reason}",
            pipeline.Name, Describe(promoted), spec.Name, revert, decision.Reason);
        var rolledBack = promoted with
        {
            Phase = CandidatePhase.RolledBack,
            RolledBackCommit = revert,
            RolledBackAt = now,
            Message = $"rolled back in {GateEvaluator.Short(revert)}: {decision.Reason}",
        };
        return stage with
        {
            Candidate = stage.Candidate == promoted ? rolledBack : stage.Candidate,
            Past = [.. stage.Past.Select(c => c == promoted ? rolledBack : c)],
        };
    }

    /// <summary>Why the pipeline cannot run as declared, or null.</summary>
    private string? Check(Pipeline pipeline)
    {
        var errors = new List<string>();
        var first = apps.Find(pipeline.Spec.Stages[0].Application);
        foreach (var (stage, i) in pipeline.Spec.Stages.Select((s, i) => (s, i)))
        {
            if (apps.Find(stage.Application) is not { } app)
            {
                errors.Add($"stage '{stage.Name}': application '{stage.Application}' is not declared");
                continue;
            }

            if (i == 0)
            {
                continue;
            }

            if (first is not null && !SameRepository(app.Spec.Source.RepoUrl, first.Spec.Source.RepoUrl))
            {
                errors.Add($"stage '{stage.Name}': application '{app.Name}' uses {app.Spec.Source.RepoUrl}, not the first stage's repository {first.Spec.Source.RepoUrl}");
            }

            var branch = app.Spec.Source.TargetRevision;
            if (branch is "HEAD" or "" || !IsBranchName(branch))
            {
                errors.Add($"stage '{stage.Name}': application '{app.Name}' must follow the stage's own branch (targetRevision such as env/{stage.Name}), not '{branch}'");
            }
            else if (first is not null && branch == first.Spec.Source.TargetRevision)
            {
                errors.Add($"stage '{stage.Name}': application '{app.Name}' follows '{branch}', the pipeline's source: give the stage a branch of its own (e.g. env/{stage.Name})");
            }
        }

        return errors.Count == 0 ? null : string.Join("; ", errors);
    }

    // A plain branch name: no ranges, globs or ref syntax (git's own check happens when the branch is pushed).
    private static bool IsBranchName(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/' or '.')
        && !name.Contains("..", StringComparison.Ordinal) && !name.StartsWith('/') && !name.EndsWith('/');

    private static bool SameRepository(string a, string b) =>
        string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.Ordinal);

    private string SourceNamespace(StageSpec stage) => apps.Find(stage.Application)!.Spec.Destination.Namespace;

    private static (StageSpec Spec, int Index) RequireStage(Pipeline pipeline, string stage)
    {
        var index = pipeline.Spec.Stages.ToList().FindIndex(s => s.Name == stage);
        return index >= 0
            ? (pipeline.Spec.Stages[index], index)
            : throw new AppOperationException(AppError.NotFound, $"pipeline '{pipeline.Name}' has no stage '{stage}' (stages: {string.Join(", ", pipeline.Spec.Stages.Select(s => s.Name))})");
    }

    private static Candidate RequireCandidate(string name, string stage, PipelineStatus status, string? revision)
    {
        if (status.Error is { } error)
        {
            throw new AppOperationException(AppError.FailedPrecondition, $"pipeline '{name}': {error}");
        }

        var candidate = status.Stage(stage).Candidate
            ?? throw new AppOperationException(AppError.FailedPrecondition, $"no revision is waiting to enter stage '{stage}' of pipeline '{name}'");
        if (revision is { Length: > 0 } wanted && !Matches(candidate, wanted))
        {
            throw new AppOperationException(AppError.FailedPrecondition,
                $"stage '{stage}' waits for {Describe(candidate)}, not '{wanted}' (it may have been superseded)");
        }

        return candidate;
    }

    private static bool Matches(Candidate candidate, string wanted) =>
        candidate.Tag == wanted || (wanted.Length >= 4 && (candidate.Revision.StartsWith(wanted, StringComparison.OrdinalIgnoreCase)
                                                        || candidate.SourceCommit.StartsWith(wanted, StringComparison.OrdinalIgnoreCase)));

    private static string Describe(Candidate candidate) => Describe(candidate.Revision, candidate.Tag);

    private static string Describe(string revision, string? tag) =>
        tag is null ? GateEvaluator.Short(revision) : $"{tag} ({GateEvaluator.Short(revision)})";

    private async Task SaveAsync(string name, PipelineStatus status, CancellationToken cancellationToken)
    {
        var before = await store.GetAsync(name, cancellationToken);
        await store.SaveAsync(name, status, cancellationToken);
        hub.Publish(name, status);
        PipelineNotices.Report(notifier, pipelines.Find(name), before, status);
    }

    private async Task<T> WithLockAsync<T>(string name, CancellationToken cancellationToken, Func<Pipeline, Task<T>> action)
    {
        var pipeline = pipelines.Find(name) ?? throw new AppOperationException(AppError.NotFound, $"pipeline '{name}' not found");
        return await locks.RunAsync(name, cancellationToken, () => action(pipeline));
    }
}
