namespace GitOps.NodeSimulator.Tests.Unit;

/// <summary>The kubelet-like decisions, step by step on a clock the test controls.</summary>
public sealed class PodLifecycleTests
{
    private static readonly SimulatorOptions Options = new()
    {
        StartDelay = TimeSpan.FromSeconds(1),
        RunDuration = TimeSpan.FromSeconds(2),
    };

    private static readonly SimNode Node = new("n-0", new Dictionary<string, string> { ["disk"] = "ssd" }, "127.0.0.1", "10.244.1");
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly PodLifecycle lifecycle = new(Options);

    [Fact]
    public void Unbound_pod_is_bound_unless_another_scheduler_or_selector_says_otherwise()
    {
        var pod = PodRulesTests.Pod();
        Assert.Equal(new PodAction.Bind("n-0"), lifecycle.Decide(pod, [Node], T0).Action);

        pod.Spec.SchedulerName = "my-scheduler";
        Assert.IsType<PodAction.Nothing>(lifecycle.Decide(pod, [Node], T0).Action);

        pod.Spec.SchedulerName = null;
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "hdd" };
        Assert.IsType<PodAction.Nothing>(lifecycle.Decide(pod, [Node], T0).Action);
    }

    [Fact]
    public void Daemon_set_pod_is_bound_to_the_node_its_affinity_names()
    {
        var other = Node with { Name = "n-1" };
        var pod = PodRulesTests.Pod();
        pod.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms = [new V1NodeSelectorTerm
                    {
                        MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = ["n-1"] }],
                    }],
                },
            },
        };
        Assert.Equal(new PodAction.Bind("n-1"), lifecycle.Decide(pod, [Node, other], T0).Action);
        Assert.IsType<PodAction.Nothing>(lifecycle.Decide(pod, [Node], T0).Action);
    }

    [Fact]
    public void Pod_of_another_node_is_left_alone()
    {
        var pod = PodRulesTests.Pod();
        pod.Spec.NodeName = "real-node";
        Assert.IsType<PodAction.Nothing>(lifecycle.Decide(pod, [Node], T0).Action);
    }

    [Fact]
    public void Service_pod_starts_then_runs_and_stays_running()
    {
        var pod = Bound();
        var created = Apply(pod, T0, PodStage.Creating, expectRecheck: TimeSpan.FromSeconds(1));
        Assert.Equal("Pending", created.Phase);
        Assert.Equal("ContainerCreating", created.ContainerStatuses.Single().State.Waiting.Reason);

        var early = lifecycle.Decide(pod, [Node], T0.AddMilliseconds(400));
        Assert.IsType<PodAction.Nothing>(early.Action);
        Assert.Equal(TimeSpan.FromMilliseconds(600), early.RecheckAfter);

        var running = Apply(pod, T0.AddSeconds(1), PodStage.Running, expectRecheck: null);
        Assert.Equal("Running", running.Phase);
        Assert.All(running.Conditions, c => Assert.Equal("True", c.Status));
        Assert.StartsWith("10.244.1.", running.PodIP, StringComparison.Ordinal);
        Assert.IsType<PodAction.Nothing>(lifecycle.Decide(pod, [Node], T0.AddHours(1)).Action);
    }

    [Fact]
    public void Job_pod_exits_with_its_exit_code_after_its_duration()
    {
        var pod = Bound(annotations: new() { [PodRules.ExitCodeAnnotation] = "1", [PodRules.DurationAnnotation] = "5s" });
        pod.Spec.RestartPolicy = "Never";
        Apply(pod, T0, PodStage.Creating, TimeSpan.FromSeconds(1));
        Apply(pod, T0.AddSeconds(1), PodStage.Running, TimeSpan.FromSeconds(5));
        var exited = Apply(pod, T0.AddSeconds(6), PodStage.Exited, null);
        Assert.Equal("Failed", exited.Phase);
        Assert.Equal(1, exited.ContainerStatuses.Single().State.Terminated.ExitCode);
        Assert.Equal("PodCompleted", exited.Conditions.Single(c => c.Type == "Ready").Reason);
        Assert.IsType<PodAction.Nothing>(lifecycle.Decide(pod, [Node], T0.AddHours(1)).Action);
    }

    [Fact]
    public void Unpullable_image_reports_err_image_pull_then_back_off_and_never_runs()
    {
        var pod = Bound(image: "nginx:unpullable");
        Apply(pod, T0, PodStage.Creating, TimeSpan.FromSeconds(1));
        var error = Apply(pod, T0.AddSeconds(1), PodStage.PullError, TimeSpan.FromSeconds(1));
        Assert.Equal("ErrImagePull", error.ContainerStatuses.Single().State.Waiting.Reason);
        var backoff = Apply(pod, T0.AddSeconds(2), PodStage.PullBackOff, null);
        Assert.Equal("ImagePullBackOff", backoff.ContainerStatuses.Single().State.Waiting.Reason);
        Assert.Equal("Pending", backoff.Phase);
        Assert.Equal("False", backoff.Conditions.Single(c => c.Type == "Ready").Status);
    }

    [Fact]
    public void Terminating_pod_is_deleted()
    {
        var pod = Bound();
        pod.Metadata.DeletionTimestamp = T0.UtcDateTime;
        Assert.IsType<PodAction.Delete>(lifecycle.Decide(pod, [Node], T0).Action);
    }

    [Fact]
    public void Condition_transition_times_are_kept_while_unchanged()
    {
        var pod = Bound();
        Apply(pod, T0, PodStage.Creating, TimeSpan.FromSeconds(1));
        var scheduledAt = pod.Status.Conditions.Single(c => c.Type == "PodScheduled").LastTransitionTime;
        var running = Apply(pod, T0.AddSeconds(3), PodStage.Running, null);
        Assert.Equal(scheduledAt, running.Conditions.Single(c => c.Type == "PodScheduled").LastTransitionTime);
        Assert.Equal(T0.AddSeconds(3).UtcDateTime, running.Conditions.Single(c => c.Type == "Ready").LastTransitionTime);
    }

    /// <summary>Decides at <paramref name="now"/>, expects a status write to <paramref name="stage"/>, and applies it.</summary>
    private V1PodStatus Apply(V1Pod pod, DateTimeOffset now, PodStage stage, TimeSpan? expectRecheck)
    {
        var decision = lifecycle.Decide(pod, [Node], now);
        var write = Assert.IsType<PodAction.WriteStatus>(decision.Action);
        Assert.Equal(stage, write.Stage);
        Assert.Equal(expectRecheck, decision.RecheckAfter);
        pod.Status = write.Status;
        Assert.Equal(stage, PodLifecycle.CurrentStage(pod));
        return write.Status;
    }

    private static V1Pod Bound(string image = "nginx:1.19", Dictionary<string, string>? annotations = null)
    {
        var pod = PodRulesTests.Pod(annotations);
        pod.Spec.Containers[0].Image = image;
        pod.Spec.NodeName = "n-0";
        return pod;
    }
}
