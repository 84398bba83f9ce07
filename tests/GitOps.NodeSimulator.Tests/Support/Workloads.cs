namespace GitOps.NodeSimulator.Tests.Support;

/// <summary>Typed workload objects for the tests.</summary>
internal static class Workloads
{
    public static V1Deployment Deployment(string name, int replicas, string image = "nginx:1.19", int? progressDeadlineSeconds = null) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            ProgressDeadlineSeconds = progressDeadlineSeconds,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = image }] },
            },
        },
    };

    public static V1Job Job(string name, IDictionary<string, string>? annotations = null, IList<V1EnvVar>? env = null) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1JobSpec
        {
            BackoffLimit = 0,
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Annotations = annotations },
                Spec = new V1PodSpec
                {
                    RestartPolicy = "Never",
                    Containers = [new V1Container { Name = "verify", Image = "busybox:1.36", Env = env }],
                },
            },
        },
    };

    public static V1Pod Pod(string name, string image = "nginx:1.19") => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = image }] },
    };

    public static V1DeploymentCondition? Condition(this V1Deployment d, string type) =>
        d.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    public static V1JobCondition? Condition(this V1Job j, string type) =>
        j.Status?.Conditions?.FirstOrDefault(c => c.Type == type && c.Status == "True");
}
