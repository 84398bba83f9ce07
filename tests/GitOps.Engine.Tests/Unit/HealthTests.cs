using System.Text.Json.Nodes;
using GitOps.Engine.Health;

namespace GitOps.Engine.Tests.Unit;

public sealed class HealthTests
{
    private static HealthState Of(string json) => HealthAssessor.Assess(JsonNode.Parse(json)!.AsObject()).State;

    [Theory]
    [InlineData("""{"spec":{"replicas":0},"status":{"observedGeneration":1}}""", HealthState.Healthy)]
    [InlineData("""{"spec":{"replicas":2},"status":{"observedGeneration":0}}""", HealthState.Progressing)]
    [InlineData("""{"spec":{"replicas":2},"status":{"observedGeneration":1,"updatedReplicas":2,"replicas":2,"availableReplicas":1}}""", HealthState.Progressing)]
    [InlineData("""{"spec":{"replicas":2},"status":{"observedGeneration":1,"updatedReplicas":2,"replicas":2,"availableReplicas":2}}""", HealthState.Healthy)]
    [InlineData("""{"spec":{"replicas":2},"status":{"observedGeneration":1,"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded"}]}}""", HealthState.Degraded)]
    [InlineData("""{"spec":{"paused":true}}""", HealthState.Suspended)]
    public void Deployment(string body, HealthState expected)
    {
        var obj = JsonNode.Parse(body)!.AsObject();
        obj["apiVersion"] = "apps/v1";
        obj["kind"] = "Deployment";
        obj["metadata"] = new JsonObject { ["name"] = "d", ["generation"] = 1 };
        Assert.Equal(expected, HealthAssessor.Assess(obj).State);
    }

    [Fact]
    public void Other_kinds()
    {
        Assert.Equal(HealthState.Healthy, Of("""{"apiVersion":"batch/v1","kind":"Job","status":{"conditions":[{"type":"Complete","status":"True"}]}}"""));
        Assert.Equal(HealthState.Degraded, Of("""{"apiVersion":"batch/v1","kind":"Job","status":{"conditions":[{"type":"Failed","status":"True"}]}}"""));
        Assert.Equal(HealthState.Progressing, Of("""{"apiVersion":"batch/v1","kind":"Job","status":{}}"""));
        Assert.Equal(HealthState.Suspended, Of("""{"apiVersion":"batch/v1beta1","kind":"CronJob","spec":{"suspend":true}}"""));
        Assert.Equal(HealthState.Degraded, Of("""{"apiVersion":"v1","kind":"Pod","status":{"phase":"Running","containerStatuses":[{"name":"c","state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}}"""));
        Assert.Equal(HealthState.Healthy, Of("""{"apiVersion":"v1","kind":"Pod","spec":{"restartPolicy":"Always"},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}"""));
        Assert.Equal(HealthState.Progressing, Of("""{"apiVersion":"v1","kind":"PersistentVolumeClaim","status":{"phase":"Pending"}}"""));
        Assert.Equal(HealthState.Healthy, Of("""{"apiVersion":"v1","kind":"PersistentVolumeClaim","status":{"phase":"Bound"}}"""));
        Assert.Equal(HealthState.Progressing, Of("""{"apiVersion":"v1","kind":"Service","spec":{"type":"LoadBalancer"},"status":{}}"""));
        Assert.Equal(HealthState.Healthy, Of("""{"apiVersion":"v1","kind":"Service","spec":{"type":"ClusterIP"}}"""));
        Assert.Equal(HealthState.Healthy, Of("""{"apiVersion":"v1","kind":"ConfigMap"}"""));
        Assert.Equal(HealthState.Progressing, Of("""{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","status":{}}"""));
        Assert.Equal(HealthState.Degraded, Of("""{"apiVersion":"example.com/v1","kind":"Thing","status":{"conditions":[{"type":"Ready","status":"False","message":"broken"}]}}"""));
        Assert.Equal(HealthState.Healthy, Of("""{"apiVersion":"example.com/v1","kind":"Thing","status":{"conditions":[{"type":"Ready","status":"True"}]}}"""));
        Assert.Equal(HealthState.Progressing, Of("""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"readyReplicas":0}}"""));
        Assert.Equal(HealthState.Healthy, Of("""{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"generation":1},"status":{"observedGeneration":1,"desiredNumberScheduled":0}}"""));
        Assert.Equal(HealthState.Missing, HealthAssessor.Assess(null).State);
    }

    [Fact]
    public void Aggregate_worst_wins()
    {
        Assert.Equal(HealthState.Healthy, HealthAssessor.Aggregate([]));
        Assert.Equal(HealthState.Suspended, HealthAssessor.Aggregate([HealthState.Healthy, HealthState.Suspended]));
        Assert.Equal(HealthState.Degraded, HealthAssessor.Aggregate([HealthState.Progressing, HealthState.Degraded, HealthState.Healthy]));
    }
}
