using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Controller.Applications;
using GitOps.Controller.State;
using GitOps.Engine;

namespace GitOps.Controller.Reconcile;

/// <summary>
/// One reconcile pass of one app: resolve → snapshot → render → compare → (auto-)sync → status. Passes of the
/// same app never overlap (a per-app lock); different apps run in parallel. A failed fetch or render ends the
/// pass with a condition and never reaches apply or prune. Once a pass's token is cancelled (a stop), nothing that
/// fails in it is recorded: the failure is the cancellation's doing (a request torn down, a stage stopping), and
/// the pass ends as a kill would end it, to be done again on the next start.
/// </summary>
internal sealed class Reconciler(
    ApplicationRegistry registry,
    IStateStore store,
    ISourceGateway git,
    IAppRenderer renderer,
    IClusterGateway cluster,
    StatusHub hub,
    TimeProvider clock,
    ILogger<Reconciler> logger)
{
    private readonly KeyedLock locks = new();
    private readonly SteadyPasses steady = new();

    // Apps whose last render came from a snapshot of their own directory: their next render at the same commit
    // (the pass a sync's own watch events queue) takes that small snapshot again, not the whole tree. The value says
    // whether that render read nothing else (no fetched chart dependencies): then it is a function of the directory.
    private readonly ConcurrentDictionary<string, bool> rendersFromOwnDirectory = new();

    /// <summary>A periodic/triggered pass: compare, and sync when the policy says so. Returns false on failure
    /// (the queue then backs off).</summary>
    public Task<bool> ReconcileAsync(string name, Trigger trigger, CancellationToken cancellationToken) =>
        ReconcileAsync(name, trigger, clock.GetUtcNow(), cancellationToken);

    /// <param name="queuedAt">When the pass was (last) queued: git is read at least as fresh as that.</param>
    public Task<bool> ReconcileAsync(string name, Trigger trigger, DateTimeOffset queuedAt, CancellationToken cancellationToken) =>
        WithAppLockAsync(name, cancellationToken, async () =>
        {
            if (registry.Find(name) is not { } app)
            {
                steady.Forget(name);
                rendersFromOwnDirectory.TryRemove(name, out _);
                return true;
            }

            var status = await store.GetAsync(name, cancellationToken);
            var (next, ok) = await PassAsync(app, status, trigger, manual: null, queuedAt, cancellationToken);
            await SaveAsync(name, next, cancellationToken);
            return ok;
        });

    /// <summary>A sync a user asked for (allowed while paused).</summary>
    public Task<(AppStatus Status, OperationState Operation)> SyncAsync(string name, SyncParameters parameters,
        CancellationToken cancellationToken) =>
        WithAppLockAsync(name, cancellationToken, async () =>
        {
            var app = Require(name);
            var status = await store.GetAsync(name, cancellationToken);
            var (next, _) = await PassAsync(app, status, Trigger.Manual, parameters, clock.GetUtcNow(), cancellationToken);
            await SaveAsync(name, next, cancellationToken);
            return (next, next.Operation ?? throw new InvalidOperationException("sync produced no operation"));
        });

    public Task<AppStatus> SetPausedAsync(string name, bool paused, CancellationToken cancellationToken) =>
        WithAppLockAsync(name, cancellationToken, async () =>
        {
            var app = Require(name);
            if (!paused && app.Spec.Suspended)
            {
                throw new AppOperationException(AppError.FailedPrecondition,
                    $"application '{name}' is suspended in its spec (spec.suspended: true); change it in git to resume");
            }

            var status = await store.GetAsync(name, cancellationToken);
            var next = status with { Paused = paused };
            await SaveAsync(name, next, cancellationToken);
            logger.LogInformation("Application {App} {Action}", name, paused ? "paused" : "resumed");
            return next;
        });

    /// <summary>Renders the app at a revision (its targetRevision when null) without touching the cluster.</summary>
    public async Task<(RevisionInfo Revision, IReadOnlyList<JsonObject> Objects)> ManifestsAsync(string name,
        string? revision, CancellationToken cancellationToken)
    {
        var app = Require(name);
        var source = revision is null ? app.Spec.Source : app.Spec.Source with { TargetRevision = revision };
        var rev = await git.ResolveAsync(source, clock.GetUtcNow(), cancellationToken);
        using var snapshot = await git.SnapshotAsync(source, rev.Sha, path: null, cancellationToken);
        return (rev, await renderer.RenderAsync(snapshot, rev, app, cancellationToken));
    }

    /// <summary>The comparison with the live cluster of the app rendered at a revision (its targetRevision when null).</summary>
    public async Task<(RevisionInfo Revision, Comparison Comparison)> DiffAsync(string name, string? revision,
        CancellationToken cancellationToken)
    {
        var (rev, desired) = await ManifestsAsync(name, revision, cancellationToken);
        return (rev, await cluster.CompareAsync(Require(name), rev.Sha, desired, cancellationToken));
    }

    /// <summary>Rolls back in git: reverts commits on the tracked branch and records it; the normal loop then
    /// syncs the revert, so auto-sync never fights the rollback.</summary>
    public Task<(RevertOutcome Outcome, AppStatus Status)> RollbackAsync(string name, long? historyId, string? commit,
        CancellationToken cancellationToken) =>
        WithAppLockAsync(name, cancellationToken, async () =>
        {
            var app = Require(name);
            if (!await git.IsBranchAsync(app.Spec.Source, cancellationToken))
            {
                throw new AppOperationException(AppError.FailedPrecondition,
                    $"application '{name}' tracks '{app.Spec.Source.TargetRevision}', which is not a branch: " +
                    "rollback reverts commits on a branch; change targetRevision in the spec instead");
            }

            var status = await store.GetAsync(name, cancellationToken);
            string? toSha = null;
            if (commit is null)
            {
                var target = historyId is { } id
                    ? status.History.FirstOrDefault(h => h.Id == id)
                      ?? throw new AppOperationException(AppError.NotFound, $"application '{name}' has no history entry {id}")
                    : status.History.Where(h => h.Result == SyncOutcome.Succeeded && h.Revision.Sha != status.Revision?.Sha)
                          .LastOrDefault()
                      ?? throw new AppOperationException(AppError.FailedPrecondition,
                          $"application '{name}' has no earlier successful sync to roll back to");
                toSha = target.Revision.Sha;
            }

            var started = clock.GetUtcNow();
            var outcome = await git.RevertAsync(app.Spec.Source, toSha, commit, "gitops rollback", cancellationToken);
            var message = toSha is not null
                ? $"rollback to {Short(toSha)}: reverted {outcome.RevertedCommits.Count} commit(s) in {Short(outcome.RevertCommit)}"
                : $"rollback of {Short(commit!)}: reverted in {Short(outcome.RevertCommit)}";
            var next = status.AppendHistory(
                new HistoryEntry(status.NextHistoryId, new RevisionInfo(outcome.RevertCommit, message), started,
                    clock.GetUtcNow(), SyncOutcome.Succeeded, Initiator.Rollback, message),
                app.Spec.RevisionHistoryLimit);
            await SaveAsync(name, next, cancellationToken);
            logger.LogInformation("Application {App} rolled back: {Message}", name, message);
            return (outcome, next);
        });

    private async Task<(AppStatus Status, bool Ok)> PassAsync(Application app, AppStatus status, Trigger trigger,
        SyncParameters? manual, DateTimeOffset freshAsOf, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var previous = status.Revision;
        var paused = status.Paused || app.Spec.Suspended;
        status = status with { Paused = paused, ReconciledAt = now };

        var invalid = ApplicationValidator.Validate(app);
        status = status.WithCondition(ConditionTypes.InvalidSpec, invalid.Count == 0 ? null : string.Join("; ", invalid), clock);
        if (invalid.Count > 0)
        {
            if (manual is not null)
            {
                throw new AppOperationException(AppError.InvalidArgument, string.Join("; ", invalid));
            }

            return (status with { Sync = SyncState.Unknown }, false);
        }

        // The project's boundary comes before anything is fetched: a repository or destination the project does
        // not allow is never read or written.
        var project = registry.ProjectOf(app);
        IReadOnlyList<string> outside = project is null ? [$"project '{app.Spec.Project}' is not declared"] : project.Check(app);
        status = status.WithCondition(ConditionTypes.ProjectViolation, outside.Count == 0 ? null : string.Join("; ", outside), clock);
        if (outside.Count > 0)
        {
            if (manual is not null)
            {
                throw new AppOperationException(AppError.FailedPrecondition, string.Join("; ", outside));
            }

            return (status with { Sync = SyncState.Unknown }, false);
        }

        RevisionInfo revision;
        IReadOnlyList<JsonObject>? desired = null;
        Comparison comparison;
        SteadyPass inputs;
        try
        {
            revision = await git.ResolveAsync(app.Spec.Source, freshAsOf, cancellationToken);
            // Read before comparing: a live change during the compare makes the next pass compare again.
            inputs = new SteadyPass(app, project, revision.Sha, cluster.LiveVersion(app));
            if (manual is not null || status.Operation is { Phase: OperationPhase.Running }
                || (steady.Find(inputs) ?? await SameDirectoryAsync(app, inputs, cancellationToken)) is not { } unchanged)
            {
                desired = await RenderAsync(app, revision, previous, cancellationToken);
                comparison = await cluster.CompareAsync(app, revision.Sha, desired, cancellationToken);
            }
            else
            {
                // Same spec, project, commit (or the app's own directory) and live objects as a pass that found
                // everything in sync: it would render and compare to the same result, and nothing needs applying.
                comparison = unchanged;
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Nothing is applied or pruned from a failed fetch, render or comparison.
            var message = ErrorMessages.Describe(e);
            logger.LogWarning("Application {App}: comparison failed: {Error}", app.Name, message);
            status = status.WithCondition(ConditionTypes.ComparisonError, message, clock) with
            {
                Sync = SyncState.Unknown,
                Failures = status.Failures + 1,
            };
            if (manual is not null)
            {
                status = status with { Operation = new OperationState(OperationPhase.Failed, message, Initiator.User, now, clock.GetUtcNow()) };
            }

            return (status, false);
        }

        comparison = comparison.Reusing(status.Resources);
        status = status.WithCondition(ConditionTypes.ComparisonError, null, clock)
            .WithCondition(ConditionTypes.SharedResource, comparison.Shared.Count == 0 ? null
                : $"{string.Join("; ", comparison.Shared)}: left alone (remove them from one of the apps)", clock)
            .WithCondition(ConditionTypes.AdoptionRequired, comparison.Unadopted.Count == 0 ? null
                : $"{string.Join("; ", comparison.Unadopted)}: exist(s) without this app's tracking mark (or another installation's) and are left alone " +
                  $"(syncOptions {SyncOptionNames.AdoptExisting}=true, or the annotation gitops.dev/sync-options: " +
                  $"{SyncOptionNames.AdoptExisting}=true on the manifest, takes them over)", clock)
            .WithCondition(ConditionTypes.ProjectViolation, comparison.OutsideProject.Count == 0 ? null
                : $"{string.Join("; ", comparison.OutsideProject)} (project '{app.Spec.Project}'): nothing is applied", clock) with
        {
            Revision = revision,
            Sync = comparison.Sync,
            Health = comparison.Health,
            Resources = comparison.Resources,
            Failures = 0,
        };

        if (status.Operation is { Phase: OperationPhase.Running } interrupted)
        {
            status = RecordInterrupted(app, status, interrupted, revision, comparison);
        }

        var parameters = manual ?? AutoSyncPolicy.Parameters(app, status, revision, comparison, paused, trigger);
        if (parameters is null)
        {
            steady.Record(inputs, comparison);
            return (status, true);
        }

        steady.Forget(app.Name);
        desired ??= await RenderAsync(app, revision, previous, cancellationToken);
        return await SyncPassAsync(app, status, revision, desired, parameters with { Basis = comparison.Basis },
            manual is null ? trigger : Trigger.Manual, cancellationToken);
    }

    /// <summary>Renders the app at a revision. An app moving to a new commit renders from a snapshot of its own
    /// directory: a commit to a monorepo of thousands of apps then costs the files of the apps it touched, not a
    /// copy of the whole tree. An app that reads outside its directory (a Kustomize base, a value file or chart
    /// elsewhere, a symlink out of it) fails to render there and is rendered from the whole tree; only that
    /// render counts. An app whose last render came from its own directory keeps using it at the same commit. A
    /// first render (a cold start or a restart) takes the whole tree, which every app at that commit shares.</summary>
    private async Task<IReadOnlyList<JsonObject>> RenderAsync(Application app, RevisionInfo revision, RevisionInfo? previous,
        CancellationToken cancellationToken)
    {
        var source = app.Spec.Source;
        // A git app moving to a new commit renders from a snapshot of its own directory first (cheap for a monorepo);
        // one that needs files outside it (a kustomize base, a value file) renders from the whole tree.
        var moving = previous is not null && previous.Sha != revision.Sha;
        if ((moving || rendersFromOwnDirectory.ContainsKey(app.Name)) && !source.IsChart && source.ValueSources.Count == 0)
        {
            try
            {
                using var own = await git.SnapshotAsync(source, revision.Sha, source.Path, cancellationToken);
                var objects = await renderer.RenderAsync(own, revision, app, cancellationToken);
                rendersFromOwnDirectory[app.Name] = own.DependencyCharts.Count == 0;
                return objects;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                rendersFromOwnDirectory.TryRemove(app.Name, out _);
                logger.LogDebug("Application {App}: rendering from the whole tree ({Reason})", app.Name, e.Message);
            }
        }

        using var whole = await git.SnapshotAsync(source, revision.Sha, path: null, cancellationToken);
        return await renderer.RenderAsync(whole, revision, app, cancellationToken);
    }

    /// <summary>The last steady pass's comparison for an app whose render reads only its own directory, when a new
    /// commit left that directory as it was (see <see cref="SteadyPasses.FindAcrossCommitsAsync"/>).</summary>
    private Task<Comparison?> SameDirectoryAsync(Application app, SteadyPass inputs, CancellationToken cancellationToken) =>
        rendersFromOwnDirectory.TryGetValue(app.Name, out var selfContained) && selfContained
            ? steady.FindAcrossCommitsAsync(inputs, sha => git.DirectoryIdAsync(app.Spec.Source, sha, cancellationToken))
            : Task.FromResult<Comparison?>(null);

    private async Task<(AppStatus, bool)> SyncPassAsync(Application app, AppStatus status, RevisionInfo revision,
        IReadOnlyList<JsonObject> desired, SyncParameters parameters, Trigger trigger, CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        var initiatedBy = trigger.InitiatedBy();
        status = status with
        {
            Operation = new OperationState(OperationPhase.Running, "syncing", initiatedBy, started) { Revision = revision },
        };
        if (parameters.DryRun)
        {
            hub.Publish(app.Name, status);
        }
        else
        {
            // Persisted before the first write: a crash from here on is found and recorded on restart.
            await SaveAsync(app.Name, status, cancellationToken);
        }

        if (!parameters.DryRun)
        {
            // A long sync (hooks, waves) says where it is: `app get` shows "Running … syncing: wave 2 (2 of 3)".
            var running = status;
            parameters = parameters with
            {
                OnProgress = async (progress, ct) =>
                {
                    running = running with { Operation = running.Operation! with { Message = $"syncing: {progress}" } };
                    await SaveAsync(app.Name, running, ct);
                },
            };
        }

        SyncReport outcome;
        try
        {
            outcome = await cluster.SyncAsync(app, revision.Sha, desired, parameters, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = new SyncReport(SyncOutcome.Failed, ErrorMessages.Describe(e), []);
        }

        var finished = clock.GetUtcNow();
        var phase = OperationPhases.Of(outcome.Outcome);
        status = status.WithCondition(ConditionTypes.SyncError, outcome.Succeeded ? null : outcome.Message, clock) with
        {
            Operation = new OperationState(phase, outcome.Message, initiatedBy, started, finished, outcome.Results)
            {
                Log = outcome.Log,
            },
        };
        if (parameters.DryRun)
        {
            return (status, outcome.Succeeded);
        }

        status = status.AppendHistory(
            new HistoryEntry(status.NextHistoryId, revision, started, finished, outcome.Outcome, initiatedBy, outcome.Message),
            app.Spec.RevisionHistoryLimit) with
        {
            LastSyncedAt = outcome.Succeeded ? finished : status.LastSyncedAt,
        };
        logger.LogInformation("Application {App} synced {Revision} ({InitiatedBy}): {Phase} {Message}",
            app.Name, Short(revision.Sha), initiatedBy.Name(), phase, outcome.Message);

        // Report the state after the sync, not before it.
        try
        {
            var after = (await cluster.CompareAsync(app, revision.Sha, desired, cancellationToken)).Reusing(status.Resources);
            status = status with { Sync = after.Sync, Health = after.Health, Resources = after.Resources };
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Application {App}: comparison after sync failed: {Error}", app.Name, ErrorMessages.Describe(e));
        }

        return (status, outcome.Succeeded);
    }

    /// <summary>A sync that was running when the controller stopped (crash, kill, lost leadership mid-sync) is
    /// recorded, not forgotten: Succeeded when the cluster now matches its revision (it completed before the
    /// status save), else Failed as interrupted (the policy may then retry it).</summary>
    private AppStatus RecordInterrupted(Application app, AppStatus status, OperationState running, RevisionInfo current,
        Comparison comparison)
    {
        var revision = running.Revision ?? current;
        var completed = revision.Sha == current.Sha && comparison.Sync == SyncState.Synced;
        var outcome = completed ? SyncOutcome.Succeeded : SyncOutcome.Failed;
        var message = completed
            ? "completed; recorded after a controller restart (the status was not saved in time)"
            : "interrupted by a controller restart";
        var finished = clock.GetUtcNow();
        logger.LogWarning("Application {App}: the sync of {Revision} started at {Started} was interrupted; recorded as {Outcome}",
            app.Name, Short(revision.Sha), running.StartedAt, outcome);
        return status.AppendHistory(
            new HistoryEntry(status.NextHistoryId, revision, running.StartedAt, finished, outcome, running.InitiatedBy, message),
            app.Spec.RevisionHistoryLimit) with
        {
            Operation = running with { Phase = OperationPhases.Of(outcome), Message = message, FinishedAt = finished },
            LastSyncedAt = completed ? finished : status.LastSyncedAt,
        };
    }

    private async Task SaveAsync(string name, AppStatus status, CancellationToken cancellationToken)
    {
        await store.SaveAsync(name, status, cancellationToken);
        hub.Publish(name, status);
    }

    private Application Require(string name) =>
        registry.Find(name) ?? throw new AppOperationException(AppError.NotFound, $"application '{name}' not found");

    private Task<T> WithAppLockAsync<T>(string name, CancellationToken cancellationToken, Func<Task<T>> action) =>
        locks.RunAsync(name, cancellationToken, action);

    internal static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;
}
