using k8s.Models;

namespace GitOps.NodeSimulator;

/// <summary>Where a simulated Pod is in its life. Everything is derived from the Pod's start time and spec, so
/// the decision is level-triggered: a restarted simulator picks up where the last one left off.</summary>
internal enum PodStage
{
    NotStarted,
    Creating,
    PullError,
    PullBackOff,
    Running,
    Exited,
}

/// <summary>What to do with one Pod now.</summary>
internal abstract record PodAction
{
    public sealed record Nothing : PodAction;

    /// <summary>Assign the Pod to a node through the binding subresource, as a scheduler does.</summary>
    public sealed record Bind(string Node) : PodAction;

    /// <summary>The containers have stopped: remove the Pod for good (grace 0), as a kubelet does.</summary>
    public sealed record Delete : PodAction;

    public sealed record WriteStatus(V1PodStatus Status, PodStage Stage) : PodAction;
}

/// <summary>The action, and when to look at the Pod again even if nothing about it changes.</summary>
internal sealed record PodDecision(PodAction Action, TimeSpan? RecheckAfter = null);

/// <summary>One simulated node as the Pod logic needs it.</summary>
internal sealed record SimNode(string Name, IReadOnlyDictionary<string, string> Labels, string HostIp, string PodCidrPrefix);

/// <summary>The kubelet's (and, for binding, the scheduler's) decisions for one Pod, as a pure function.</summary>
internal sealed class PodLifecycle(SimulatorOptions options)
{
    public PodDecision Decide(V1Pod pod, IReadOnlyList<SimNode> nodes, DateTimeOffset now)
    {
        var nodeName = pod.Spec.NodeName;
        if (string.IsNullOrEmpty(nodeName))
        {
            return new PodDecision(Schedule(pod, nodes));
        }

        var node = nodes.FirstOrDefault(n => n.Name == nodeName);
        if (node is null)
        {
            return new PodDecision(new PodAction.Nothing()); // another node's Pod
        }

        if (pod.Metadata.DeletionTimestamp is not null)
        {
            return new PodDecision(new PodAction.Delete());
        }

        var current = CurrentStage(pod);
        if (current == PodStage.Exited)
        {
            return new PodDecision(new PodAction.Nothing());
        }

        var startTime = pod.Status?.StartTime is { } st ? new DateTimeOffset(DateTime.SpecifyKind(st, DateTimeKind.Utc)) : now;
        var (target, next) = TargetStage(pod, now - startTime);
        if (target == current)
        {
            return new PodDecision(new PodAction.Nothing(), next);
        }

        var status = PodStatusBuilder.Build(pod, node, target, startTime, options, now);
        return new PodDecision(new PodAction.WriteStatus(status, target), next);
    }

    private static PodAction Schedule(V1Pod pod, IReadOnlyList<SimNode> nodes)
    {
        // A scheduler only binds Pods addressed to it, and never terminating or finished ones.
        if (pod.Metadata.DeletionTimestamp is not null || pod.Status?.Phase is "Succeeded" or "Failed"
            || (pod.Spec.SchedulerName is { Length: > 0 } s && s != "default-scheduler"))
        {
            return new PodAction.Nothing();
        }

        var pinned = PinnedNodes(pod);
        var fits = nodes.Where(n => (pinned is null || pinned.Contains(n.Name))
            && (pod.Spec.NodeSelector ?? new Dictionary<string, string>())
            .All(kv => n.Labels.TryGetValue(kv.Key, out var v) && v == kv.Value)).ToList();
        if (fits.Count == 0)
        {
            return new PodAction.Nothing();
        }

        // Spread by the Pod's UID: stable across retries, so a retried bind never picks another node.
        var index = (int)(StableHash(pod.Metadata.Uid ?? pod.Metadata.Name) % (uint)fits.Count);
        return new PodAction.Bind(fits[index].Name);
    }

    /// <summary>Nodes named by a required node affinity on <c>metadata.name</c>: how the DaemonSet controller pins
    /// each of its Pods to one Node. Null when the Pod names none.</summary>
    private static HashSet<string>? PinnedNodes(V1Pod pod)
    {
        var terms = pod.Spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms;
        var names = terms?.SelectMany(t => t.MatchFields ?? [])
            .Where(f => f.Key == "metadata.name" && f.OperatorProperty == "In")
            .SelectMany(f => f.Values ?? []).ToHashSet(StringComparer.Ordinal);
        return names is { Count: > 0 } ? names : null;
    }

    /// <summary>FNV-1a: unlike string.GetHashCode, the same in every process.</summary>
    internal static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var ch in text)
        {
            hash = (hash ^ ch) * 16777619u;
        }

        return hash;
    }

    internal static PodStage CurrentStage(V1Pod pod)
    {
        var status = pod.Status;
        if (status?.Phase is "Succeeded" or "Failed")
        {
            return PodStage.Exited;
        }

        if (status?.StartTime is null)
        {
            return PodStage.NotStarted;
        }

        var waiting = (status.ContainerStatuses ?? []).Concat(status.InitContainerStatuses ?? [])
            .Select(c => c.State?.Waiting?.Reason).ToList();
        if (waiting.Contains("ImagePullBackOff"))
        {
            return PodStage.PullBackOff;
        }

        if (waiting.Contains("ErrImagePull"))
        {
            return PodStage.PullError;
        }

        return status.Phase == "Running" ? PodStage.Running : PodStage.Creating;
    }

    /// <summary>The stage a Pod started <paramref name="elapsed"/> ago should be in, and when that next changes.</summary>
    private (PodStage Stage, TimeSpan? Next) TargetStage(V1Pod pod, TimeSpan elapsed)
    {
        var start = options.StartDelay;
        if (PodRules.FirstUnpullable(pod) is not null)
        {
            // Kubelet reports ErrImagePull on the failed pull, then ImagePullBackOff while it waits to retry.
            return elapsed < start ? (PodStage.Creating, start - elapsed)
                : elapsed < 2 * start ? (PodStage.PullError, 2 * start - elapsed)
                : (PodStage.PullBackOff, null);
        }

        if (elapsed < start)
        {
            return (PodStage.Creating, start - elapsed);
        }

        if (!PodRules.RunsToCompletion(pod))
        {
            return (PodStage.Running, null);
        }

        var end = start + PodRules.RunDuration(pod, options.RunDuration);
        return elapsed < end ? (PodStage.Running, end - elapsed) : (PodStage.Exited, null);
    }
}
