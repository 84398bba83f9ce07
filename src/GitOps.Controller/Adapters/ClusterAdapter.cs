using System.Text.Json.Nodes;
using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Engine;
using EngineHealth = GitOps.Engine.HealthState;
using EngineSync = GitOps.Engine.SyncState;
using SyncOutcome = GitOps.Controller.Reconcile.SyncOutcome;
using ResourceResult = GitOps.Controller.State.ResourceResult;

namespace GitOps.Controller.Adapters;

/// <summary>IClusterGateway over GitOps.Engine: maps the app spec onto engine options and engine results onto
/// the controller's status model.</summary>
internal sealed class ClusterAdapter(IClusterEngine engine) : IClusterGateway
{
    public async Task<Comparison> CompareAsync(Application app, IReadOnlyList<JsonObject> desired, CancellationToken cancellationToken)
    {
        var result = await engine.CompareAsync(Target(app), DesiredSet.FromSuccessfulRender(desired, ""),
            new ComparisonOptions { IgnoreDifferences = Ignore(app) }, cancellationToken);
        var resources = result.Resources.Select(ToState).ToList();
        var diffs = result.Resources
            .Where(r => r.State != EngineSync.Synced || r.Error is not null)
            .Select(r => new ResourceDiff(ToState(r), r.Diff, r.JsonPatch))
            .ToList();
        var shared = result.Resources.Where(r => r.SharedWith is not null)
            .Select(r => $"{r.Key} belongs to application '{r.SharedWith}'")
            .ToList();
        return new Comparison(resources, diffs, Map(result.Health)) { Shared = shared };
    }

    public async Task<SyncOutcome> SyncAsync(Application app, IReadOnlyList<JsonObject> desired, SyncParameters parameters,
        CancellationToken cancellationToken)
    {
        if (parameters.DryRun)
        {
            return await DryRunAsync(app, desired, parameters, cancellationToken);
        }

        var policy = app.Spec.SyncPolicy;
        var selected = parameters.OnlyResources.Count == 0
            ? desired
            : desired.Where(o => parameters.OnlyResources.Contains(KeyOf(o, app))).ToList();
        var options = new GitOps.Engine.SyncOptions
        {
            IgnoreDifferences = Ignore(app),
            Prune = parameters.Prune && parameters.OnlyResources.Count == 0,
            AllowEmpty = parameters.AllowEmpty,
            CreateNamespace = policy?.HasOption("CreateNamespace") ?? false,
            ReplaceOnImmutableError = policy?.HasOption("Replace") ?? false,
        };
        var result = await engine.SyncAsync(Target(app), DesiredSet.FromSuccessfulRender(selected, ""), options, cancellationToken);
        var results = result.Resources.Select(r => new ResourceResult(r.Key.Group, r.Key.Kind, r.Key.Namespace ?? "",
            r.Key.Name, r.Action.ToString().ToLowerInvariant(), r.Message)).ToList();
        return new SyncOutcome(result.Outcome == GitOps.Engine.SyncOutcome.Succeeded, result.Message, results);
    }

    /// <summary>A dry-run sync is the comparison (itself a server-side dry run) told as the actions it implies.</summary>
    private async Task<SyncOutcome> DryRunAsync(Application app, IReadOnlyList<JsonObject> desired, SyncParameters parameters,
        CancellationToken cancellationToken)
    {
        var comparison = await CompareAsync(app, desired, cancellationToken);
        var results = comparison.Resources
            .Where(r => parameters.OnlyResources.Count == 0 || parameters.OnlyResources.Contains(r.Key))
            .Select(r => new ResourceResult(r.Group, r.Kind, r.Namespace, r.Name,
                r.Missing ? "created" : r.Extraneous ? (parameters.Prune ? "pruned" : "prune-skipped")
                : r.Status == State.SyncState.OutOfSync ? "configured" : "unchanged", "dry run"))
            .ToList();
        return new SyncOutcome(true, $"dry run: {results.Count(r => r.Result is not "unchanged")} change(s)", results);
    }

    private static AppTarget Target(Application app) => new(app.Name, app.Spec.Destination.Namespace);

    private static List<IgnoreDifference> Ignore(Application app) => app.Spec.IgnoreDifferences
        .Select(i => new IgnoreDifference(i.Group, i.Kind, i.Name, i.Namespace, i.JsonPointers, i.ManagedFieldsManagers))
        .ToList();

    private static ResourceState ToState(ResourceComparison r)
    {
        var (_, version) = SplitApiVersion(r.ApiVersion);
        var status = r.State == EngineSync.Synced && r.Error is null ? State.SyncState.Synced : State.SyncState.OutOfSync;
        var message = r.Error ?? (r.PruneDisabled ? "prune disabled" : r.Health.Message ?? "");
        return new ResourceState(r.Key.Group, version, r.Key.Kind, r.Key.Namespace ?? "", r.Key.Name, status,
            Map(r.Health.State), message, Missing: r.State == EngineSync.Missing, Extraneous: r.State == EngineSync.Extraneous);
    }

    private static State.HealthState Map(EngineHealth health) => health switch
    {
        EngineHealth.Healthy => State.HealthState.Healthy,
        EngineHealth.Progressing => State.HealthState.Progressing,
        EngineHealth.Degraded => State.HealthState.Degraded,
        EngineHealth.Suspended => State.HealthState.Suspended,
        EngineHealth.Missing => State.HealthState.Missing,
        _ => State.HealthState.Unknown,
    };

    /// <summary>"group/kind/namespace/name" as the CLI's --resource takes it.</summary>
    private static string KeyOf(JsonObject o, Application app)
    {
        var (group, _) = SplitApiVersion((string?)o["apiVersion"] ?? "");
        var ns = (string?)o["metadata"]?["namespace"] ?? app.Spec.Destination.Namespace;
        return $"{group}/{(string?)o["kind"]}/{ns}/{(string?)o["metadata"]?["name"]}";
    }

    /// <summary>"apps/v1" → ("apps", "v1"); the core group's "v1" → ("", "v1").</summary>
    private static (string Group, string Version) SplitApiVersion(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }
}
