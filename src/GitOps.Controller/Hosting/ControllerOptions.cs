namespace GitOps.Controller.Hosting;

/// <summary>Controller settings (configuration section "Controller", env GITOPS_Controller__*, or flags).</summary>
public sealed record ControllerOptions
{
    /// <summary>Local applications file (run without the CRD). Null: watch Application objects in the cluster.</summary>
    public string? ApplicationsFile { get; init; }

    /// <summary>Where the local state store keeps status and history.</summary>
    public string StateDirectory { get; init; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "gitops", "state");

    /// <summary>Where repository mirrors and snapshots live.</summary>
    public string CacheDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "gitops-cache");

    public string? Kubeconfig { get; init; }

    /// <summary>Polling interval per app (Argo CD: 3 min with jitter).</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromMinutes(3);

    public double IntervalJitter { get; init; } = 0.2;

    public int Concurrency { get; init; } = 10;

    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryMax { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Bearer tokens file (YAML: tokens: [{token, role: admin|read-only, apps: [...]}]).</summary>
    public string? TokensFile { get; init; }
}
