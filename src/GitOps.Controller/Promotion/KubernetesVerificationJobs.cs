using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace GitOps.Controller.Promotion;

/// <summary>Verification Jobs as batch/v1 Jobs: created from the gate's JobSpec with our labels; their outcome
/// is the Job's Complete/Failed condition; the evidence is the tail of the pods' logs, or — where no kubelet
/// serves logs — their termination messages and the Job's condition message.</summary>
internal sealed class KubernetesVerificationJobs(IKubernetes client, ILogger<KubernetesVerificationJobs> logger) : IVerificationJobs
{
    private const int TailLines = 20;

    public async Task StartAsync(string ns, string name, JsonObject jobSpec, IReadOnlyDictionary<string, string> labels,
        CancellationToken cancellationToken)
    {
        var spec = KubernetesJson.Deserialize<V1JobSpec>(jobSpec.ToJsonString())
                   ?? throw new InvalidDataException("verification: the Job spec is empty");
        var job = new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels.ToDictionary() },
            Spec = spec,
        };
        spec.Template.Metadata ??= new V1ObjectMeta();
        spec.Template.Metadata.Labels ??= new Dictionary<string, string>();
        foreach (var (key, value) in labels)
        {
            spec.Template.Metadata.Labels[key] = value;
        }

        try
        {
            await client.BatchV1.CreateNamespacedJobAsync(job, ns, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Created before a restart: re-attach to it.
        }
    }

    public async Task<VerificationResult?> GetAsync(string ns, string name, CancellationToken cancellationToken)
    {
        V1Job job;
        try
        {
            job = await client.BatchV1.ReadNamespacedJobAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var conditions = job.Status?.Conditions ?? [];
        var failed = conditions.FirstOrDefault(c => c.Type == "Failed" && c.Status == "True");
        var complete = conditions.FirstOrDefault(c => c.Type == "Complete" && c.Status == "True");
        var outcome = failed is not null ? VerificationOutcome.Failed
            : complete is not null ? VerificationOutcome.Succeeded
            : VerificationOutcome.Running;
        var condition = failed ?? complete;
        var message = condition is null ? $"{job.Status?.Active ?? 0} active"
            : string.Join(": ", new[] { condition.Reason, condition.Message }.Where(s => !string.IsNullOrEmpty(s)));
        var log = outcome == VerificationOutcome.Running ? [] : await EvidenceAsync(ns, name, cancellationToken);
        return new VerificationResult(outcome, message, log);
    }

    private async Task<IReadOnlyList<string>> EvidenceAsync(string ns, string job, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        try
        {
            var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"job-name={job}", cancellationToken: cancellationToken);
            foreach (var pod in pods.Items.OrderBy(p => p.Metadata.CreationTimestamp))
            {
                // One line per container's exit; then its log tail, or — where no kubelet serves logs — its
                // termination message, line by line.
                var messages = new List<string>();
                foreach (var container in pod.Status?.ContainerStatuses ?? [])
                {
                    if (container.State?.Terminated is { } terminated)
                    {
                        lines.Add($"{pod.Metadata.Name}/{container.Name}: exit {terminated.ExitCode}{(string.IsNullOrEmpty(terminated.Reason) ? "" : " " + terminated.Reason)}");
                        messages.AddRange((terminated.Message ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    }
                }

                var log = (await LogTailAsync(pod, cancellationToken)).ToList();
                lines.AddRange(log.Count > 0 ? log : messages);
            }
        }
        catch (HttpOperationException e)
        {
            logger.LogDebug("Verification Job {Job}: pods not readable: {Status}", job, e.Response.StatusCode);
        }

        return [.. lines.TakeLast(TailLines)];
    }

    private async Task<IEnumerable<string>> LogTailAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty,
                tailLines: TailLines, cancellationToken: cancellationToken);
            using var reader = new StreamReader(stream);
            var text = await reader.ReadToEndAsync(cancellationToken);
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException)
        {
            return []; // no kubelet serves logs (our local control plane, or a node simulator without logs)
        }
    }
}
