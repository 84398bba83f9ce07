namespace GitOps.NodeSimulator;

/// <summary>What the simulator registers and how fast its fake containers move.</summary>
internal sealed record SimulatorOptions
{
    /// <summary>Node names are <c>{NodePrefix}-{i}</c>; a unique prefix per run keeps concurrent simulators apart.</summary>
    public string NodePrefix { get; init; } = "sim-node";

    public int NodeCount { get; init; } = 1;

    /// <summary>Which namespaces' Pods are bound and driven.</summary>
    public NamespaceScope Scope { get; init; } = NamespaceScope.All;

    /// <summary>From the Pod's start (kubelet sees it) to Running and Ready, and from ErrImagePull to ImagePullBackOff.</summary>
    public TimeSpan StartDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a run-to-completion container runs before it exits (per Pod: annotation sim.gitops.dev/duration).</summary>
    public TimeSpan RunDuration { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Kubelet's lease renew interval; the node lifecycle controller's grace period is 40 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Nodes of this simulator kind whose lease is older than this are someone's leftovers: deleted at start.</summary>
    public TimeSpan StaleNodeAge { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Port of the fake kubelet log endpoint on 127.0.0.1 (0: any free port).</summary>
    public int LogPort { get; init; }

    /// <summary>Delete the Nodes on shutdown (their Pods are then garbage-collected by kube-controller-manager).</summary>
    public bool DeleteNodesOnExit { get; init; } = true;
}

/// <summary>Namespaces a simulator owns: exact names and <c>prefix*</c> patterns, or all.</summary>
internal sealed record NamespaceScope(IReadOnlyList<string> Exact, IReadOnlyList<string> Prefixes, bool AllNamespaces)
{
    public static NamespaceScope All { get; } = new([], [], true);

    public static NamespaceScope Of(IEnumerable<string> patterns)
    {
        var list = patterns.ToList();
        return new NamespaceScope(
            list.Where(p => !p.EndsWith('*')).ToList(),
            list.Where(p => p.EndsWith('*')).Select(p => p[..^1]).ToList(),
            false);
    }

    /// <summary>Exact names only can be watched namespace by namespace; otherwise one cluster-wide watch, filtered.</summary>
    public bool NeedsClusterWideWatch => AllNamespaces || Prefixes.Count > 0;

    public bool Contains(string? ns) =>
        ns is not null && (AllNamespaces || Exact.Contains(ns, StringComparer.Ordinal)
            || Prefixes.Any(p => ns.StartsWith(p, StringComparison.Ordinal)));

    public override string ToString() =>
        AllNamespaces ? "all namespaces" : string.Join(",", Exact.Concat(Prefixes.Select(p => p + "*")));
}
