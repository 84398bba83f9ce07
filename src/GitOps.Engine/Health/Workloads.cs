using System.Text.Json.Nodes;
using GitOps.Engine.Cluster;
using static GitOps.Engine.Health.HealthAssessor;

namespace GitOps.Engine.Health;

/// <summary>Health of the built-in workload kinds.</summary>
internal static class Workloads
{
    private static ResourceHealth Healthy => ResourceHealth.Healthy;

    public static ResourceHealth Deployment(JsonObject d)
    {
        if (Obj.Bool(d, "spec", "paused") == true)
        {
            return new ResourceHealth(HealthState.Suspended, "deployment is paused");
        }

        if (NotObserved(d))
        {
            return Progressing("waiting for the rollout to be observed");
        }

        if (Obj.Str(Obj.Condition(d, "Progressing"), "reason") == "ProgressDeadlineExceeded")
        {
            return Degraded($"deployment \"{Obj.Str(d, "metadata", "name")}\" exceeded its progress deadline");
        }

        var desired = Obj.Long(d, "spec", "replicas") ?? 1;
        var updated = Obj.Long(d, "status", "updatedReplicas") ?? 0;
        var replicas = Obj.Long(d, "status", "replicas") ?? 0;
        var available = Obj.Long(d, "status", "availableReplicas") ?? 0;
        if (updated < desired)
        {
            return Progressing($"{updated} of {desired} updated replicas");
        }

        if (replicas > updated)
        {
            return Progressing($"{replicas - updated} old replicas are pending termination");
        }

        return available < updated ? Progressing($"{available} of {updated} updated replicas are available") : Healthy;
    }

    public static ResourceHealth StatefulSet(JsonObject s)
    {
        if (NotObserved(s))
        {
            return Progressing("waiting for the statefulset spec update to be observed");
        }

        var desired = Obj.Long(s, "spec", "replicas") ?? 1;
        var ready = Obj.Long(s, "status", "readyReplicas") ?? 0;
        if (ready < desired)
        {
            return Progressing($"{ready} of {desired} pods are ready");
        }

        if (Obj.Str(s, "spec", "updateStrategy", "type") == "OnDelete")
        {
            return Healthy;
        }

        var updated = Obj.Long(s, "status", "updatedReplicas") ?? 0;
        if (updated < desired)
        {
            return Progressing($"{updated} of {desired} pods are updated");
        }

        var current = Obj.Str(s, "status", "currentRevision");
        var update = Obj.Str(s, "status", "updateRevision");
        return current != update ? Progressing("rolling update in progress") : Healthy;
    }

    public static ResourceHealth DaemonSet(JsonObject d)
    {
        if (NotObserved(d))
        {
            return Progressing("waiting for the daemonset spec update to be observed");
        }

        var desired = Obj.Long(d, "status", "desiredNumberScheduled") ?? 0;
        var updated = Obj.Long(d, "status", "updatedNumberScheduled") ?? 0;
        var available = Obj.Long(d, "status", "numberAvailable") ?? 0;
        if (updated < desired)
        {
            return Progressing($"{updated} of {desired} pods are updated");
        }

        return available < desired ? Progressing($"{available} of {desired} pods are available") : Healthy;
    }

    public static ResourceHealth ReplicaSet(JsonObject r)
    {
        if (NotObserved(r))
        {
            return Progressing("waiting for the replicaset to be observed");
        }

        if (ConditionTrue(r, "ReplicaFailure") == true)
        {
            return Degraded(Obj.Str(Obj.Condition(r, "ReplicaFailure"), "message") ?? "replica failure");
        }

        var desired = Obj.Long(r, "spec", "replicas") ?? 1;
        var available = Obj.Long(r, "status", "availableReplicas") ?? 0;
        return available < desired ? Progressing($"{available} of {desired} replicas are available") : Healthy;
    }

    public static ResourceHealth Pod(JsonObject p)
    {
        if (Obj.O(p, "status")?["containerStatuses"] is JsonArray statuses)
        {
            foreach (var s in statuses.OfType<JsonObject>())
            {
                var waiting = Obj.Str(s, "state", "waiting", "reason");
                if (waiting is "CrashLoopBackOff" or "ErrImagePull" or "ImagePullBackOff" or "CreateContainerConfigError" or "InvalidImageName")
                {
                    return Degraded($"container {Obj.Str(s, "name")}: {waiting}");
                }
            }
        }

        return Obj.Str(p, "status", "phase") switch
        {
            "Succeeded" => Healthy,
            "Failed" => Degraded(Obj.Str(p, "status", "message") ?? "pod failed"),
            "Running" when Obj.Str(p, "spec", "restartPolicy") == "Always" =>
                ConditionTrue(p, "Ready") == true ? Healthy : Progressing("pod is not ready"),
            "Running" => Progressing("pod is running"),
            _ => Progressing("pod is pending"),
        };
    }

    public static ResourceHealth Job(JsonObject j)
    {
        if (ConditionTrue(j, "Failed") == true)
        {
            return Degraded(Obj.Str(Obj.Condition(j, "Failed"), "message") ?? "job failed");
        }

        if (ConditionTrue(j, "Complete") == true)
        {
            return Healthy;
        }

        return Obj.Bool(j, "spec", "suspend") == true
            ? new ResourceHealth(HealthState.Suspended, "job is suspended")
            : Progressing("job is running");
    }

    private static bool NotObserved(JsonObject o)
    {
        var generation = Obj.Long(o, "metadata", "generation");
        var observed = Obj.Long(o, "status", "observedGeneration");
        return generation is not null && (observed is null || observed < generation);
    }
}
