using k8s.Models;

namespace GitOps.NodeSimulator;

/// <summary>The status a kubelet would post for a Pod in a given stage: phase, the four conditions, container
/// statuses with their states, host and Pod IPs, start time.</summary>
internal static class PodStatusBuilder
{
    public static V1PodStatus Build(V1Pod pod, SimNode node, PodStage stage, DateTimeOffset startTime,
        SimulatorOptions options, DateTimeOffset now)
    {
        var old = pod.Status ?? new V1PodStatus();
        var runningSince = startTime + options.StartDelay;
        var finishedAt = runningSince + PodRules.RunDuration(pod, options.RunDuration);
        var unpullable = PodRules.FirstUnpullable(pod);
        var initContainers = pod.Spec.InitContainers ?? [];
        var started = stage is PodStage.Running or PodStage.Exited;

        var containers = (pod.Spec.Containers ?? []).Select(c => ContainerStatus(pod, c, stage, unpullable, runningSince, finishedAt)).ToList();
        var inits = initContainers.Select(c => started
            ? Status(pod, c, ready: false, new V1ContainerState
            {
                Terminated = Terminated(pod, c, 0, runningSince, runningSince),
            })
            : Status(pod, c, ready: false, Waiting(unpullable == c ? stage : PodStage.Creating, c, "PodInitializing"))).ToList();

        var exitCodes = (pod.Spec.Containers ?? []).Select(c => PodRules.ExitCode(pod, c)).ToList();
        var phase = stage switch
        {
            PodStage.Running => "Running",
            PodStage.Exited => exitCodes.All(code => code == 0) ? "Succeeded" : "Failed",
            _ => "Pending",
        };

        var notReady = containers.Where(c => c.Ready != true).Select(c => c.Name).ToList();
        var notReadyMessage = $"containers with unready status: [{string.Join(' ', notReady)}]";
        var initialized = initContainers.Count == 0 || started;
        var ready = stage == PodStage.Running && notReady.Count == 0;
        var readyReason = stage == PodStage.Exited ? "PodCompleted" : "ContainersNotReady";
        var conditions = new List<V1PodCondition>
        {
            Condition(old, "PodScheduled", true, null, null, now),
            Condition(old, "Initialized", initialized, initialized ? null : "ContainersNotInitialized",
                initialized ? null : $"containers with incomplete status: [{string.Join(' ', initContainers.Select(c => c.Name))}]", now),
            Condition(old, "ContainersReady", ready, ready ? null : readyReason, ready ? null : notReadyMessage, now),
            Condition(old, "Ready", ready, ready ? null : readyReason, ready ? null : notReadyMessage, now),
        };

        var podIp = old.PodIP ?? PodIp(node, pod);
        return new V1PodStatus
        {
            Phase = phase,
            Conditions = conditions,
            HostIP = node.HostIp,
            PodIP = podIp,
            PodIPs = [new V1PodIP { Ip = podIp }],
            StartTime = startTime.UtcDateTime,
            ContainerStatuses = containers,
            InitContainerStatuses = inits.Count == 0 ? null : inits,
            QosClass = old.QosClass, // set by the API server at creation; a status write must keep it
        };
    }

    private static V1ContainerStatus ContainerStatus(V1Pod pod, V1Container c, PodStage stage, V1Container? unpullable,
        DateTimeOffset runningSince, DateTimeOffset finishedAt) => stage switch
    {
        PodStage.Running => Status(pod, c, ready: true, new V1ContainerState
        {
            Running = new V1ContainerStateRunning { StartedAt = runningSince.UtcDateTime },
        }),
        PodStage.Exited => Status(pod, c, ready: false, new V1ContainerState
        {
            Terminated = Terminated(pod, c, PodRules.ExitCode(pod, c), runningSince, finishedAt),
        }),
        _ => Status(pod, c, ready: false, Waiting(unpullable == c ? stage : PodStage.Creating, c,
            unpullable is not null && (pod.Spec.InitContainers ?? []).Contains(unpullable) ? "PodInitializing" : "ContainerCreating")),
    };

    private static V1ContainerState Waiting(PodStage stage, V1Container c, string creatingReason) => new()
    {
        Waiting = stage switch
        {
            PodStage.PullError => new V1ContainerStateWaiting
            {
                Reason = "ErrImagePull",
                Message = $"rpc error: code = Unknown desc = failed to pull image \"{c.Image}\": simulated: the image matches the node simulator's unpullable rule",
            },
            PodStage.PullBackOff => new V1ContainerStateWaiting
            {
                Reason = "ImagePullBackOff",
                Message = $"Back-off pulling image \"{c.Image}\"",
            },
            _ => new V1ContainerStateWaiting { Reason = creatingReason },
        },
    };

    private static V1ContainerStateTerminated Terminated(V1Pod pod, V1Container c, int exitCode,
        DateTimeOffset startedAt, DateTimeOffset finishedAt) => new()
    {
        ExitCode = exitCode,
        ContainerID = ContainerId(pod, c),
        StartedAt = startedAt.UtcDateTime,
        FinishedAt = finishedAt.UtcDateTime,
        Reason = exitCode == 0 ? "Completed" : "Error",
        Message = PodRules.TerminationMessage(pod, c),
    };

    private static V1ContainerStatus Status(V1Pod pod, V1Container c, bool ready, V1ContainerState state)
    {
        var created = state.Waiting is null;
        return new V1ContainerStatus
        {
            Name = c.Name,
            Image = c.Image,
            ImageID = created ? "sim://" + c.Image : "",
            ContainerID = created ? ContainerId(pod, c) : null,
            Ready = ready,
            Started = state.Running is not null,
            RestartCount = 0,
            State = state,
        };
    }

    private static string ContainerId(V1Pod pod, V1Container c) => $"sim://{pod.Metadata.Uid}/{c.Name}";

    /// <summary>Keeps the transition time while the status is unchanged, as a kubelet does.</summary>
    private static V1PodCondition Condition(V1PodStatus old, string type, bool status, string? reason, string? message,
        DateTimeOffset now)
    {
        var text = status ? "True" : "False";
        var previous = old.Conditions?.FirstOrDefault(c => c.Type == type);
        var transition = previous?.Status == text && previous.LastTransitionTime is not null
            ? previous.LastTransitionTime
            : now.UtcDateTime;
        return new V1PodCondition { Type = type, Status = text, LastTransitionTime = transition, Reason = reason, Message = message };
    }

    /// <summary>A fake address in the node's Pod range, stable for the Pod (its UID).</summary>
    private static string PodIp(SimNode node, V1Pod pod)
    {
        var hash = PodLifecycle.StableHash(pod.Metadata.Uid ?? pod.Metadata.Name);
        return $"{node.PodCidrPrefix}.{2 + (hash % 250)}";
    }
}
