namespace GitOps.Engine;

/// <summary>The annotations and labels the engine reads and writes.</summary>
public static class Marks
{
    /// <summary><c>&lt;app&gt;:&lt;group&gt;/&lt;kind&gt;:&lt;namespace&gt;/&lt;name&gt;</c>: the authoritative mark.</summary>
    public const string TrackingId = "gitops.dev/tracking-id";

    /// <summary>The installation (controller) that applied the object, written when one is configured: two
    /// controllers on one cluster with apps of the same name tell their objects apart by it (see
    /// <see cref="Installation"/>).</summary>
    public const string InstallationId = "gitops.dev/installation-id";

    /// <summary>Label with the app name, for fast selection only (labels are copied around by controllers).</summary>
    public const string AppLabel = "gitops.dev/app";

    /// <summary>Integer sync wave, default 0.</summary>
    public const string SyncWave = "gitops.dev/sync-wave";

    /// <summary>PreSync, Sync, PostSync, SyncFail (comma separated).</summary>
    public const string Hook = "gitops.dev/hook";

    /// <summary>BeforeHookCreation (default), HookSucceeded, HookFailed (comma separated; kebab-case accepted).</summary>
    public const string HookDeletePolicy = "gitops.dev/hook-delete-policy";

    /// <summary>Comma-separated options: <c>Prune=false</c> keeps the object when it is no longer desired,
    /// <c>Replace=true</c> deletes and recreates it on an immutable-field error.</summary>
    public const string SyncOptions = "gitops.dev/sync-options";
}
