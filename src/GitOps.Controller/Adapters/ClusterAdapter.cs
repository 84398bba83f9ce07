using System.Text.Json.Nodes;
using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;

namespace GitOps.Controller.Adapters;

/// <summary>IClusterGateway over GitOps.Engine. (Placeholder until the engine lands.)</summary>
internal sealed class ClusterAdapter : IClusterGateway
{
    public Task<Comparison> CompareAsync(Application app, IReadOnlyList<JsonObject> desired, CancellationToken cancellationToken) => throw new NotSupportedException("engine not wired");

    public Task<SyncOutcome> SyncAsync(Application app, IReadOnlyList<JsonObject> desired, SyncParameters parameters, CancellationToken cancellationToken) => throw new NotSupportedException("engine not wired");
}
