using GitOps.NodeSimulator.Tests.Support;
using GitOps.Testing;

namespace GitOps.NodeSimulator.Tests.Cluster;

/// <summary>Job Pods run to completion: exit code 0 by default, or as the Pod template says (annotation or env).</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class JobTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Job_succeeds_and_its_log_is_served_and_kept()
    {
        await using var h = await SimulatorHarness.StartAsync(cluster, "sim-job");
        await h.Client.BatchV1.CreateNamespacedJobAsync(
            Workloads.Job("verify", env: [new V1EnvVar { Name = PodRules.LogEnv, Value = "checking canary\nall 3 checks passed" }]), h.Ns);

        var job = await h.EventuallyAsync(() => h.Client.BatchV1.ReadNamespacedJobAsync("verify", h.Ns),
            j => j.Condition("Complete") is not null || j.Condition("Failed") is not null, "the Job finishes");
        Assert.NotNull(job.Condition("Complete"));
        Assert.Equal(1, job.Status.Succeeded);

        var pod = Assert.Single((await h.Client.CoreV1.ListNamespacedPodAsync(h.Ns, labelSelector: "job-name=verify")).Items);
        Assert.Equal("Succeeded", pod.Status.Phase);
        var terminated = pod.Status.ContainerStatuses.Single().State.Terminated;
        Assert.Equal(0, terminated.ExitCode);
        Assert.Equal("Completed", terminated.Reason);
        Assert.Equal("checking canary\nall 3 checks passed\n", terminated.Message);

        // `kubectl logs`: the API server proxies to the simulator's kubelet endpoint.
        using var stream = await h.Client.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, h.Ns, tailLines: 1);
        Assert.Equal("all 3 checks passed\n", await new StreamReader(stream).ReadToEndAsync());
    }

    [Fact]
    public async Task Job_annotated_with_a_failing_exit_code_fails()
    {
        await using var h = await SimulatorHarness.StartAsync(cluster, "sim-jobfail");
        await h.Client.BatchV1.CreateNamespacedJobAsync(
            Workloads.Job("verify", annotations: new Dictionary<string, string> { [PodRules.ExitCodeAnnotation] = "3" }), h.Ns);

        var job = await h.EventuallyAsync(() => h.Client.BatchV1.ReadNamespacedJobAsync("verify", h.Ns),
            j => j.Condition("Complete") is not null || j.Condition("Failed") is not null, "the Job finishes");
        Assert.Equal("BackoffLimitExceeded", job.Condition("Failed")?.Reason);

        var pod = Assert.Single((await h.Client.CoreV1.ListNamespacedPodAsync(h.Ns, labelSelector: "job-name=verify")).Items);
        Assert.Equal("Failed", pod.Status.Phase);
        var terminated = pod.Status.ContainerStatuses.Single().State.Terminated;
        Assert.Equal(3, terminated.ExitCode);
        Assert.Equal("Error", terminated.Reason);
    }

    [Fact]
    public async Task Container_env_exit_code_fails_the_job()
    {
        await using var h = await SimulatorHarness.StartAsync(cluster, "sim-jobenv");
        await h.Client.BatchV1.CreateNamespacedJobAsync(
            Workloads.Job("verify", env: [new V1EnvVar { Name = PodRules.ExitCodeEnv, Value = "1" }]), h.Ns);

        var job = await h.EventuallyAsync(() => h.Client.BatchV1.ReadNamespacedJobAsync("verify", h.Ns),
            j => j.Condition("Complete") is not null || j.Condition("Failed") is not null, "the Job finishes");
        Assert.NotNull(job.Condition("Failed"));
        Assert.Equal(1, job.Status.Failed);
    }
}
