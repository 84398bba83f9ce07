using GitOps.Engine.Diff;

namespace GitOps.Cli.Preview;

/// <summary>The controller's comparison of one app, rendered by the controller at a commit, against the live
/// cluster: the objects a sync would create (Added), change (Changed) and prune (Removed); or why it cannot
/// tell (the revision is unknown to the controller, the render failed, the API server refused an object).</summary>
internal sealed record LiveComparison(IReadOnlyList<ObjectChange> Changes, string? Error = null);

/// <summary>`--live`: how the preview asks for a <see cref="LiveComparison"/> (the controller's Diff RPC).</summary>
internal interface ILiveComparison
{
    Task<LiveComparison> CompareAsync(string app, string sha, CancellationToken cancellationToken);
}
