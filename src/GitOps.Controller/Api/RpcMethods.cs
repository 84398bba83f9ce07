namespace GitOps.Controller.Api;

/// <summary>The one classification of the controller's RPCs, shared by token authorisation (read-only tokens)
/// and high availability (followers, other shards): a call either only reads or changes something.</summary>
internal static class RpcMethods
{
    private static readonly HashSet<string> ReadOnly = ["List", "Get", "Watch", "Diff", "History", "Manifests", "GetUserInfo", "ResourceTree", "WatchResourceTree", "LiveObject"];

    // Writes an approver token may make (besides reads): a decision on a promotion, never a sync or a promote.
    private static readonly HashSet<string> Approvals = ["/gitops.v1.PipelineService/Approve", "/gitops.v1.PipelineService/Reject"];

    /// <summary>True for the gitops.* services; health and reflection are not the controller's API.</summary>
    public static bool IsControllerApi(string fullMethod) => fullMethod.StartsWith("/gitops.", StringComparison.Ordinal);

    /// <summary>"/gitops.v1.ApplicationService/Sync" → "Sync".</summary>
    public static string Name(string fullMethod) => fullMethod[(fullMethod.LastIndexOf('/') + 1)..];

    public static bool IsReadOnly(string fullMethod) => ReadOnly.Contains(Name(fullMethod));

    /// <summary>Approve and reject of PipelineService: writes (leader only) that the approver role may call.</summary>
    public static bool IsApproval(string fullMethod) => Approvals.Contains(fullMethod);
}
