using System.Text.Json.Nodes;
using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Engine;

namespace GitOps.Controller.Adapters;

/// <summary>IClusterGateway over GitOps.Engine: maps the app spec onto engine options and engine results onto
/// the controller's status records (the enums are the engine's own).</summary>
internal sealed class ClusterAdapter(IClusterEngine engine, ApplicationRegistry registry,
    Microsoft.Extensions.Options.IOptions<ControllerOptions> settings, ILogger<ClusterAdapter> logger) : IClusterGateway
{
    /// <summary>How many of the engine's operation-log lines a sync keeps in the status.</summary>
    internal const int KeptLogLines = 20;

    public long LiveVersion(Application app) => engine.LiveVersion(app.Name);

    public async Task<Comparison> CompareAsync(Application app, string revision, IReadOnlyList<JsonObject> desired,
        CancellationToken cancellationToken)
    {
        var result = await engine.CompareAsync(Target(app), DesiredSet.FromSuccessfulRender(desired, revision),
            new ComparisonOptions { IgnoreDifferences = Ignore(app), AdoptExisting = Adopt(app), Boundary = Boundary(app) },
            cancellationToken);
        // Arrays, and the shared empty one when there is nothing: the last in-sync comparison of every app is kept.
        ResourceState[] resources = [.. result.Resources.Select(ToState)];
        ResourceDiff[] diffs = [.. result.Resources
            .Where(r => r.State != SyncState.Synced || r.Error is not null)
            .Select(r => new ResourceDiff(ToState(r), r.Diff, r.JsonPatch))];
        string[] shared = [.. result.Resources.Where(r => r.SharedWith is not null)
            .Select(r => $"{r.Key} belongs to application '{r.SharedWith}'")];
        string[] unadopted = [.. result.Resources.Where(r => r.AdoptionRequired)
            .Select(r => r.ForeignInstallation is { } other ? $"{r.Key} (installation '{other}')" : r.Key.ToString())];
        string[] outside = [.. result.Resources.Where(r => r.OutsideBoundary).Select(r => r.Error!)];
        return new Comparison(resources, diffs, result.Health)
        {
            Shared = shared,
            Unadopted = unadopted,
            OutsideProject = outside,
            Basis = result.Resources.Any(r => r.State == SyncState.Missing) ? result : null,
        };
    }

    public async Task<SyncReport> SyncAsync(Application app, string revision, IReadOnlyList<JsonObject> desired,
        SyncParameters parameters, CancellationToken cancellationToken)
    {
        if (parameters.DryRun)
        {
            return await DryRunAsync(app, revision, desired, parameters, cancellationToken);
        }

        var selected = parameters.OnlyResources.Count == 0
            ? desired
            : desired.Where(o => parameters.OnlyResources.Contains(KeyOf(o, app))).ToList();
        var options = SyncOptionsOf(app) with
        {
            Boundary = Boundary(app),
            Prune = parameters.Prune && parameters.OnlyResources.Count == 0,
            AllowEmpty = parameters.AllowEmpty,
            OnProgress = parameters.OnProgress,
            Basis = parameters.Basis,
        };
        var result = await engine.SyncAsync(Target(app), DesiredSet.FromSuccessfulRender(selected, revision), options,
            cancellationToken);
        if (settings.Value.HoldAfterSyncForCrashTests)
        {
            logger.LogWarning("Application {App}: holding after sync (crash test)", app.Name);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        ResourceSyncResult[] results = [.. result.Resources.Select(r => new ResourceSyncResult(r.Key.Group, r.Key.Kind,
            r.Key.Namespace ?? "", r.Key.Name, r.Action, r.Message))];
        return new SyncReport(result.Outcome, result.Message, results) { Log = LastLines(result.Log) };
    }

    /// <summary>The engine options an app's spec asks for (syncOptions as Argo CD spells them, see
    /// docs/application.md); prune and allowEmpty come with each sync.</summary>
    internal static GitOps.Engine.SyncOptions SyncOptionsOf(Application app)
    {
        var policy = app.Spec.SyncPolicy;
        return new GitOps.Engine.SyncOptions
        {
            IgnoreDifferences = Ignore(app),
            CreateNamespace = policy?.HasOption("CreateNamespace") ?? false,
            ReplaceOnImmutableError = policy?.HasOption("Replace") ?? false,
            // Whole-set validation is the default; "DryRunNewObjects=false" opts out.
            DryRunNewObjects = !string.Equals(policy?.OptionValue(SyncOptionNames.DryRunNewObjects), "false",
                StringComparison.OrdinalIgnoreCase),
            AdoptExisting = Adopt(app),
            // The validator refused any other value.
            PrunePropagation = Enum.TryParse<PropagationPolicy>(policy?.OptionValue(SyncOptionNames.PrunePropagationPolicy),
                ignoreCase: true, out var propagation) ? propagation : PropagationPolicy.Foreground,
        };
    }

    /// <summary>A dry-run sync is the comparison (itself a server-side dry run) told as the actions it implies.</summary>
    private async Task<SyncReport> DryRunAsync(Application app, string revision, IReadOnlyList<JsonObject> desired,
        SyncParameters parameters, CancellationToken cancellationToken)
    {
        var comparison = await CompareAsync(app, revision, desired, cancellationToken);
        var results = comparison.Resources
            .Where(r => parameters.OnlyResources.Count == 0 || parameters.OnlyResources.Contains(r.Key))
            .Select(r => new ResourceSyncResult(r.Group, r.Kind, r.Namespace, r.Name, DryRunAction(r, parameters.Prune), "dry run"))
            .ToList();
        return new SyncReport(SyncOutcome.Succeeded,
            $"dry run: {results.Count(r => r.Result != ResourceAction.Unchanged)} change(s)", results);
    }

    private static ResourceAction DryRunAction(ResourceState r, bool prune) =>
        r.Missing ? ResourceAction.Created
        : r.Extraneous ? (prune ? ResourceAction.Pruned : ResourceAction.PruneSkipped)
        : r.Status == SyncState.OutOfSync ? ResourceAction.Configured
        : ResourceAction.Unchanged;

    /// <summary>"phase: key message" for the last lines of the operation log.</summary>
    private static LogLines LastLines(IReadOnlyList<OperationLogEntry> log) => LogLines.Of(log
        .TakeLast(KeptLogLines)
        .Select(e => $"{e.Phase}: {(e.Key is null ? "" : e.Key + " ")}{e.Message}"));

    /// <summary>The app's project boundary; an undeclared project allows nothing (the reconciler stops earlier).</summary>
    private ResourceBoundary Boundary(Application app) =>
        registry.ProjectOf(app)?.BoundaryFor(app) ?? new ResourceBoundary([], []);

    private static bool Adopt(Application app) => app.Spec.SyncPolicy?.HasOption(SyncOptionNames.AdoptExisting) ?? false;

    private static AppTarget Target(Application app) => new(app.Name, app.Spec.Destination.Namespace);

    private static List<IgnoreDifference> Ignore(Application app) => app.Spec.IgnoreDifferences
        .Select(i => new IgnoreDifference(i.Group, i.Kind, i.Name, i.Namespace, i.JsonPointers, i.ManagedFieldsManagers))
        .ToList();

    private static ResourceState ToState(ResourceComparison r)
    {
        var (_, version) = ApiVersions.Split(r.ApiVersion);
        // Every app keeps its resources: "v1" and the like as the one interned literal, not a copy per object
        // (IsInterned only looks; it adds nothing to the pool).
        version = string.IsInterned(version) ?? version;
        var status = r.State == SyncState.Synced && r.Error is null ? SyncState.Synced : SyncState.OutOfSync;
        var message = r.Error ?? (r.PruneDisabled ? "prune disabled" : r.Health.Message ?? "");
        return new ResourceState(r.Key.Group, version, r.Key.Kind, r.Key.Namespace ?? "", r.Key.Name, status,
            r.Health.State, message, Missing: r.State == SyncState.Missing, Extraneous: r.State == SyncState.Extraneous);
    }

    /// <summary>"group/kind/namespace/name" as the CLI's --resource takes it.</summary>
    private static string KeyOf(JsonObject o, Application app)
    {
        var (group, _) = ApiVersions.Split((string?)o["apiVersion"] ?? "");
        var ns = (string?)o["metadata"]?["namespace"] ?? app.Spec.Destination.Namespace;
        return $"{group}/{(string?)o["kind"]}/{ns}/{(string?)o["metadata"]?["name"]}";
    }
}
