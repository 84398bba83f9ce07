namespace GitOps.NodeSimulator.Tests.Unit;

/// <summary>The documented rules read from a Pod spec.</summary>
public sealed class PodRulesTests
{
    [Theory]
    [InlineData("nginx:unpullable", true)]
    [InlineData("registry.example.com/unpullable/app:1", true)]
    [InlineData("registry.invalid/app:1", true)]
    [InlineData("registry.invalid:5000/app:1", true)]
    [InlineData("nginx:1.19", false)]
    [InlineData("ghcr.io/org/invalid-name:1", false)]
    public void Image_matches_the_unpullable_rule(string image, bool unpullable) =>
        Assert.Equal(unpullable, PodRules.IsUnpullable(Pod(), image));

    [Fact]
    public void Annotation_makes_every_image_unpullable()
    {
        var pod = Pod(annotations: new() { [PodRules.UnpullableAnnotation] = "true" });
        Assert.True(PodRules.IsUnpullable(pod, "nginx:1.19"));
    }

    [Fact]
    public void Container_env_exit_code_wins_over_the_pod_annotation()
    {
        var pod = Pod(annotations: new() { [PodRules.ExitCodeAnnotation] = "2" });
        var withEnv = new V1Container { Name = "a", Env = [new V1EnvVar { Name = PodRules.ExitCodeEnv, Value = "7" }] };
        Assert.Equal(7, PodRules.ExitCode(pod, withEnv));
        Assert.Equal(2, PodRules.ExitCode(pod, new V1Container { Name = "b" }));
        Assert.Equal(0, PodRules.ExitCode(Pod(), new V1Container { Name = "c" }));
    }

    [Theory]
    [InlineData("Never", true)]
    [InlineData("OnFailure", true)]
    [InlineData("Always", false)]
    [InlineData(null, false)]
    public void Only_never_and_on_failure_pods_run_to_completion(string? policy, bool completes)
    {
        var pod = Pod();
        pod.Spec.RestartPolicy = policy;
        Assert.Equal(completes, PodRules.RunsToCompletion(pod));
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("3s", 3000)]
    [InlineData("1m30s", 90000)]
    [InlineData("1.5s", 1500)]
    public void Durations_parse_go_style(string text, int ms)
    {
        Assert.True(PodRules.TryParseDuration(text, out var d));
        Assert.Equal(TimeSpan.FromMilliseconds(ms), d);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("3x")]
    [InlineData("s3")]
    public void Bad_durations_are_rejected(string text) => Assert.False(PodRules.TryParseDuration(text, out _));

    [Fact]
    public void Termination_message_is_the_log_tail_within_4096_bytes()
    {
        var log = string.Concat(Enumerable.Range(0, 1000).Select(i => $"line {i}\n"));
        var container = new V1Container { Name = "a", Env = [new V1EnvVar { Name = PodRules.LogEnv, Value = log }] };
        var message = PodRules.TerminationMessage(Pod(), container);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(message) <= 4096);
        Assert.EndsWith("line 999\n", message, StringComparison.Ordinal);
    }

    internal static V1Pod Pod(Dictionary<string, string>? annotations = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "ns", Uid = "uid-1", Annotations = annotations },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "nginx:1.19" }] },
    };
}
