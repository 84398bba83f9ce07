namespace GitOps.Controller;

/// <summary>Controller settings (configuration section "Controller", env GITOPS_Controller__*, or flags).</summary>
internal sealed record ControllerOptions
{
    /// <summary>Local applications file (run without the CRD). Null: watch Application objects in the cluster.</summary>
    public string? ApplicationsFile { get; init; }

    /// <summary>CRD mode: the namespace whose Application objects are watched; empty: all namespaces (app names
    /// must then be unique cluster-wide; the oldest object owns a name).</summary>
    public string ApplicationsNamespace { get; init; } = "gitops-system";

    /// <summary>Where the local state store keeps status and history.</summary>
    public string StateDirectory { get; init; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "gitops", "state");

    /// <summary>Where repository mirrors and snapshots live.</summary>
    public string CacheDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "gitops-cache");

    public string? Kubeconfig { get; init; }

    /// <summary>This installation's ID (--installation-id), stamped on every object it applies: objects another
    /// installation stamped are not its apps' (engine <c>Installation</c>). Null or empty: none.</summary>
    public string? InstallationId { get; init; }

    /// <summary>Polling interval per app (Argo CD: 3 min with jitter).</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromMinutes(3);

    public double IntervalJitter { get; init; } = 0.2;

    public int Concurrency { get; init; } = 10;

    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryMax { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Bearer tokens file (YAML: tokens: [{token, role: admin|read-only, apps: [...]}]).</summary>
    public string? TokensFile { get; init; }

    /// <summary>Campaign for a coordination.k8s.io/v1 Lease; only the leader reconciles (--leader-elect).</summary>
    public bool LeaderElect { get; init; }

    public string LeaseName { get; init; } = "gitops-controller";

    /// <summary>The Lease's namespace; empty: the pod's namespace in-cluster, else "default".</summary>
    public string? LeaseNamespace { get; init; }

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>"N/M": reconcile only the apps whose name hashes to shard N of M (--shard).</summary>
    public string? Shard { get; init; }

    /// <summary>Dynamic sharding (--shards M, with --leader-elect): every replica is a candidate for each of M shard
    /// Leases and holds its fair share of the live replicas; 0 = off.</summary>
    public int Shards { get; init; }

    /// <summary>Notifications config (sinks, templates, subscriptions; docs/notifications.md). Null: none are sent.</summary>
    public string? NotificationsFile { get; init; }

    /// <summary>On stop, how long in-flight reconciles may run before they are cancelled.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The host's bound on the whole stop (HostOptions.ShutdownTimeout): Kubernetes kills the pod 30 s
    /// (terminationGracePeriodSeconds) after it asks it to stop. Longer than <see cref="ShutdownGrace"/>: the
    /// API, the watches and the leader's Lease hand-over stop after the reconciles.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Fault injection for crash tests only: once the engine's sync has written, log "holding after
    /// sync" and never return, so a test can kill the process between the writes and the status save.</summary>
    public bool HoldAfterSyncForCrashTests { get; init; }
}
