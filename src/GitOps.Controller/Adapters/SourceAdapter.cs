using System.Collections.Concurrent;
using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Source;
using GitOps.Source.Charts;

namespace GitOps.Controller.Adapters;

/// <summary>ISourceGateway over GitOps.Source: its git repository cache, or its chart source when the app names a
/// chart (the revision is then the chart version, e.g. "0.13.9").</summary>
internal sealed class SourceAdapter(IGitSource git, IChartSource charts, RevisionPool revisions, TimeProvider clock) : ISourceGateway
{
    private const string BranchPrefix = "refs/heads/";
    private const int ResolvedLimit = 1024;
    private const char RevisionSeparator = ';';

    // The last resolution of each (repository, chart, version), so the snapshot needs no second index request.
    private readonly ConcurrentDictionary<(string Repo, string Chart, string Version), ResolvedChart> resolvedCharts = new();

    // Per repository URL, the start of the last successful refresh: its refs are at least as fresh as that.
    private readonly ConcurrentDictionary<string, DateTimeOffset> refreshedAsOf = new(StringComparer.Ordinal);

    // Per repository URL, the last refresh started and when: a pass queued before that moment joins it.
    private readonly ConcurrentDictionary<string, (DateTimeOffset Started, Task Done)> refreshing = new(StringComparer.Ordinal);

    /// <summary>With ref sources (multiple sources) the revision is composite, "PRIMARY;ref=SHA;…", so a commit to a
    /// values repository is a new revision: it re-renders and auto-sync applies it.</summary>
    public async Task<RevisionInfo> ResolveAsync(SourceSpec source, DateTimeOffset freshAsOf, CancellationToken cancellationToken)
    {
        var primary = await ResolvePrimaryAsync(source, freshAsOf, cancellationToken);
        if (source.ValueSources.Count == 0)
        {
            return primary;
        }

        var refs = new List<string>();
        foreach (var valueSource in source.ValueSources)
        {
            var resolved = await ResolveGitAsync(valueSource, freshAsOf, cancellationToken);
            refs.Add($"{valueSource.Ref}={resolved.Sha}");
        }

        return revisions.Share(primary with { Sha = string.Join(RevisionSeparator, refs.Prepend(primary.Sha)) });
    }

    private async Task<RevisionInfo> ResolvePrimaryAsync(SourceSpec source, DateTimeOffset freshAsOf, CancellationToken cancellationToken)
    {
        if (source.IsChart)
        {
            var chart = await charts.ResolveAsync(source.RepoUrl, source.Chart!, source.TargetRevision, cancellationToken);
            if (resolvedCharts.Count >= ResolvedLimit)
            {
                resolvedCharts.Clear();
            }

            resolvedCharts[(source.RepoUrl, chart.Name, chart.Version)] = chart;
            return revisions.Share(new RevisionInfo(chart.Version, $"chart {chart.Name} {chart.Version} (sha256:{chart.Digest[..12]})",
                chart.AppVersion is { } app ? $"appVersion {app}" : "", chart.Created));
        }

        var resolved = await ResolveGitAsync(source, freshAsOf, cancellationToken);
        return revisions.ForCommit(resolved.Sha, resolved,
            static r => new RevisionInfo(r.Sha, r.Subject, $"{r.AuthorName} <{r.AuthorEmail}>", r.Date));
    }

    private async Task<ResolvedRevision> ResolveGitAsync(SourceSpec source, DateTimeOffset freshAsOf, CancellationToken cancellationToken)
    {
        // A fetch that started after the pass was queued saw every push made before it (a webhook queues its pass
        // after the push): no need to ask the remote again. Otherwise refresh; the mirror coalesces concurrent
        // fetches and a fetch that serves us starts after this call does, so `started` is a safe lower bound.
        var refresh = !(refreshedAsOf.TryGetValue(source.RepoUrl, out var asOf) && asOf > freshAsOf);
        // The passes a webhook queues start together: the first one's fetch is in flight when the others get here,
        // and the mirror would make them fetch again (their requests came after it started), one more round trip
        // to the server before their commit is applied. That fetch started after they were queued: it serves them.
        if (refresh && refreshing.TryGetValue(source.RepoUrl, out var running) && running.Started > freshAsOf
            && await JoinedAsync(running.Done, cancellationToken))
        {
            refresh = false;
        }

        var started = clock.GetUtcNow();
        // A full SHA that is already here is resolved without a fetch, which must not count as one.
        var fetches = refresh && !IsFullSha(source.TargetRevision.Trim());
        var resolving = git.ResolveAsync(source.RepoUrl, source.TargetRevision, refresh, cancellationToken);
        if (fetches)
        {
            refreshing[source.RepoUrl] = (started, resolving);
        }

        var resolved = await resolving;
        if (fetches)
        {
            refreshedAsOf.AddOrUpdate(source.RepoUrl, started, (_, previous) => previous > started ? previous : started);
        }

        return resolved;
    }

    /// <summary>Waits for another pass's refresh; false when it failed (this pass then refreshes itself).</summary>
    private static async Task<bool> JoinedAsync(Task running, CancellationToken cancellationToken)
    {
        try
        {
            await running.WaitAsync(cancellationToken);
            return true;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static bool IsFullSha(string revision) => revision.Length == 40 && revision.All(char.IsAsciiHexDigit);

    public async Task<Snapshot> SnapshotAsync(SourceSpec source, string revision, string? path, CancellationToken cancellationToken)
    {
        var parts = revision.Split(RevisionSeparator);
        var snapshot = await PrimarySnapshotAsync(source, parts[0], path, cancellationToken);
        if (source.ValueSources.Count == 0)
        {
            return snapshot;
        }

        var leases = new List<IDisposable> { snapshot.Lease };
        try
        {
            var roots = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var valueSource in source.ValueSources)
            {
                var sha = parts.Skip(1).Select(p => p.Split('=', 2)).FirstOrDefault(p => p.Length == 2 && p[0] == valueSource.Ref)?[1]
                          ?? throw new AppOperationException(AppError.InvalidArgument,
                              $"revision '{revision}' names no commit for the ref source '{valueSource.Ref}'");
                var lease = await git.GetSnapshotAsync(valueSource.RepoUrl, sha, subPath: null, cancellationToken);
                leases.Add(lease);
                roots[valueSource.Ref!] = lease.Root;
            }

            return snapshot with { Lease = new Leases(leases), ValueRoots = roots };
        }
        catch
        {
            new Leases(leases).Dispose();
            throw;
        }
    }

    /// <param name="path">Only this directory of a git source's tree (a snapshot of one path: its oversized files
    /// fail it outright); null for the whole tree.</param>
    private async Task<Snapshot> PrimarySnapshotAsync(SourceSpec source, string revision, string? path, CancellationToken cancellationToken)
    {
        if (source.IsChart)
        {
            var chart = resolvedCharts.TryGetValue((source.RepoUrl, source.Chart!, revision), out var known)
                ? known
                : await charts.ResolveAsync(source.RepoUrl, source.Chart!, revision, cancellationToken);
            var chartLease = await charts.GetSnapshotAsync(chart, cancellationToken);
            return await WithDependenciesAsync(new Snapshot(chartLease.Root, chartLease), ".", cancellationToken);
        }

        var lease = await git.GetSnapshotAsync(source.RepoUrl, revision, path, cancellationToken);
        if (lease.Oversized.FirstOrDefault(f => f.Under(source.Path)) is { } tooLarge)
        {
            lease.Dispose();
            throw tooLarge.Error(); // a file the app's own path holds: it would render without it
        }

        return await WithDependenciesAsync(new Snapshot(lease.Root, lease), source.Path, cancellationToken);
    }

    /// <summary>A chart's remote dependencies that charts/ lacks, fetched as `helm dependency build` would.</summary>
    private async Task<Snapshot> WithDependenciesAsync(Snapshot snapshot, string path, CancellationToken cancellationToken)
    {
        try
        {
            var dependencies = await ChartDependencies.BuildAsync(snapshot.Root, Path.Combine(snapshot.Root, path), charts, cancellationToken);
            return dependencies.Count == 0 ? snapshot : snapshot with { DependencyCharts = dependencies };
        }
        catch
        {
            snapshot.Dispose();
            throw;
        }
    }

    public Task<string?> DirectoryIdAsync(SourceSpec source, string sha, CancellationToken cancellationToken) =>
        source.IsChart ? Task.FromResult<string?>(null) : git.GetDirectoryIdAsync(source.RepoUrl, sha, source.Path, cancellationToken);

    /// <summary>A chart version is never a branch: rollback by revert is git's alone (and one repository's: not for
    /// an app with ref sources).</summary>
    public async Task<bool> IsBranchAsync(SourceSpec source, CancellationToken cancellationToken) =>
        !source.IsChart && source.ValueSources.Count == 0 && await BranchOfAsync(source, cancellationToken) is not null;

    public async Task<RevertOutcome> RevertAsync(SourceSpec source, string? toSha, string? commit, string requestedBy,
        CancellationToken cancellationToken)
    {
        var branch = await BranchOfAsync(source, cancellationToken)
                     ?? throw new AppOperationException(AppError.FailedPrecondition, $"'{source.TargetRevision}' is not a branch");
        var result = await git.RevertAsync(new RevertRequest
        {
            RepositoryUrl = source.RepoUrl,
            Branch = branch,
            Commit = commit,
            After = commit is null ? toSha : null,
            AuthorName = requestedBy,
        }, cancellationToken);
        return new RevertOutcome(result.NewHeadSha, result.RevertedShas);
    }

    /// <summary>The branch targetRevision follows (HEAD follows the default branch), or null for a tag or SHA.</summary>
    private async Task<string?> BranchOfAsync(SourceSpec source, CancellationToken cancellationToken)
    {
        var resolved = await git.ResolveAsync(source.RepoUrl, source.TargetRevision, refresh: true, cancellationToken);
        return resolved.Reference is { } reference && reference.StartsWith(BranchPrefix, StringComparison.Ordinal)
            ? reference[BranchPrefix.Length..]
            : null;
    }

    /// <summary>The snapshots one multi-source render holds, released together.</summary>
    private sealed class Leases(IReadOnlyList<IDisposable> leases) : IDisposable
    {
        public void Dispose()
        {
            foreach (var lease in leases)
            {
                lease.Dispose();
            }
        }
    }
}
