using System.Text.Json.Nodes;
using GitOps.Engine.Cluster;

namespace GitOps.Engine.Health;

/// <summary>Per-kind health rules following kstatus (sigs.k8s.io/cli-utils pkg/kstatus) and Argo CD's built-in
/// checks (gitops-engine pkg/health); custom resources by their Ready condition; anything else is healthy once it
/// exists.</summary>
internal static class HealthAssessor
{
    public static ResourceHealth Assess(JsonObject? live)
    {
        if (live is null)
        {
            return new ResourceHealth(HealthState.Missing, "not found");
        }

        if (Obj.Str(live, "metadata", "deletionTimestamp") is not null)
        {
            return Progressing("being deleted");
        }

        var (group, _) = ApiVersions.Split(Obj.Str(live, "apiVersion") ?? "");
        return (group, Obj.Str(live, "kind")) switch
        {
            ("apps" or "extensions", "Deployment") => Workloads.Deployment(live),
            ("apps", "StatefulSet") => Workloads.StatefulSet(live),
            ("apps" or "extensions", "DaemonSet") => Workloads.DaemonSet(live),
            ("apps" or "extensions", "ReplicaSet") => Workloads.ReplicaSet(live),
            ("", "Pod") => Workloads.Pod(live),
            ("batch", "Job") => Workloads.Job(live),
            ("batch", "CronJob") => Obj.Bool(live, "spec", "suspend") == true
                ? new ResourceHealth(HealthState.Suspended, "suspended") : ResourceHealth.Healthy,
            ("", "PersistentVolumeClaim") => Obj.Str(live, "status", "phase") switch
            {
                "Bound" => ResourceHealth.Healthy,
                "Lost" => Degraded("claim lost"),
                _ => Progressing("waiting for the claim to be bound"),
            },
            ("", "Service") => Obj.Str(live, "spec", "type") == "LoadBalancer" && !HasIngress(live)
                ? Progressing("waiting for a load balancer address") : ResourceHealth.Healthy,
            ("networking.k8s.io" or "extensions", "Ingress") => HasIngress(live)
                ? ResourceHealth.Healthy : Progressing("waiting for a load balancer address"),
            ("autoscaling", "HorizontalPodAutoscaler") => Hpa(live),
            ("apiextensions.k8s.io", "CustomResourceDefinition") => Crd(live),
            ("apiregistration.k8s.io", "APIService") => ConditionTrue(live, "Available") switch
            {
                true => ResourceHealth.Healthy,
                false => Degraded(Obj.Str(Obj.Condition(live, "Available"), "message") ?? "not available"),
                null => Progressing("waiting for Available"),
            },
            ("", "Namespace") => Obj.Str(live, "status", "phase") == "Terminating"
                ? Progressing("terminating") : ResourceHealth.Healthy,
            _ => ReadyCondition(live),
        };
    }

    public static HealthState Aggregate(IEnumerable<HealthState> states) =>
        states.DefaultIfEmpty(HealthState.Healthy).Max();

    internal static ResourceHealth Progressing(string message) => new(HealthState.Progressing, message);

    internal static ResourceHealth Degraded(string message) => new(HealthState.Degraded, message);

    /// <summary>True/False for a condition's status, null when absent or Unknown.</summary>
    internal static bool? ConditionTrue(JsonObject live, string type) =>
        Obj.Str(Obj.Condition(live, type), "status") switch
        {
            "True" => true,
            "False" => false,
            _ => null,
        };

    private static bool HasIngress(JsonObject live) =>
        Obj.O(live, "status", "loadBalancer")?["ingress"] is JsonArray { Count: > 0 };

    private static ResourceHealth Hpa(JsonObject live)
    {
        foreach (var type in new[] { "AbleToScale", "ScalingActive" })
        {
            var condition = Obj.Condition(live, type);
            if (Obj.Str(condition, "status") == "False" && Obj.Str(condition, "reason") is { } reason
                && reason.StartsWith("Failed", StringComparison.Ordinal))
            {
                return Degraded(Obj.Str(condition, "message") ?? reason);
            }
        }

        return ResourceHealth.Healthy;
    }

    private static ResourceHealth Crd(JsonObject live)
    {
        if (ConditionTrue(live, "NamesAccepted") == false)
        {
            return Degraded(Obj.Str(Obj.Condition(live, "NamesAccepted"), "message") ?? "names not accepted");
        }

        return ConditionTrue(live, "Established") == true
            ? ResourceHealth.Healthy
            : Progressing("waiting for the CRD to be established");
    }

    private static ResourceHealth ReadyCondition(JsonObject live)
    {
        var ready = Obj.Condition(live, "Ready");
        if (ready is null)
        {
            return ResourceHealth.Healthy;
        }

        var message = Obj.Str(ready, "message") ?? Obj.Str(ready, "reason");
        var generation = Obj.Long(live, "metadata", "generation");
        var observed = Obj.Long(live, "status", "observedGeneration");
        if (generation is not null && observed is not null && observed < generation)
        {
            return Progressing("waiting for the controller to observe the latest generation");
        }

        return Obj.Str(ready, "status") switch
        {
            "True" => ResourceHealth.Healthy,
            "False" => Degraded(message ?? "not ready"),
            _ => Progressing(message ?? "readiness unknown"),
        };
    }
}
