using System.Text.Json.Nodes;

namespace GitOps.Engine.Health;

/// <summary>The engine's health rules for one live object, also for objects it does not track (the ReplicaSets
/// and Pods a Deployment owns, shown in a resource tree).</summary>
public static class ObjectHealth
{
    public static ResourceHealth Of(JsonObject? live) => HealthAssessor.Assess(live);
}
