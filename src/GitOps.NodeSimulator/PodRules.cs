using System.Globalization;
using System.Text.RegularExpressions;
using k8s.Models;

namespace GitOps.NodeSimulator;

/// <summary>
/// The documented rules (docs/node-simulator.md) that decide what a simulated container does, read from the Pod
/// spec only, so a Pod template in git says how its Pods will behave.
/// </summary>
internal static partial class PodRules
{
    public const string AnnotationPrefix = "sim.gitops.dev/";
    public const string ExitCodeAnnotation = AnnotationPrefix + "exit-code";
    public const string DurationAnnotation = AnnotationPrefix + "duration";
    public const string LogAnnotation = AnnotationPrefix + "log";
    public const string UnpullableAnnotation = AnnotationPrefix + "unpullable";
    public const string ExitCodeEnv = "SIM_EXIT_CODE";
    public const string LogEnv = "SIM_LOG";

    /// <summary>A kubelet keeps at most this much of a termination message.</summary>
    private const int MaxTerminationMessageBytes = 4096;

    /// <summary>Run-to-completion Pods (every Job's, since a Job requires Never or OnFailure) exit; others run until deleted.</summary>
    public static bool RunsToCompletion(V1Pod pod) => pod.Spec.RestartPolicy is "Never" or "OnFailure";

    /// <summary>An image never pulls when its reference contains "unpullable", its registry host is under the reserved
    /// .invalid domain (RFC 2606), or the Pod is annotated sim.gitops.dev/unpullable: "true".</summary>
    public static bool IsUnpullable(V1Pod pod, string? image)
    {
        if (pod.Metadata.Annotations?.TryGetValue(UnpullableAnnotation, out var flag) == true
            && string.Equals(flag, "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.IsNullOrEmpty(image))
        {
            return false;
        }

        var slash = image.IndexOf('/', StringComparison.Ordinal);
        var host = slash > 0 ? image[..slash].Split(':')[0] : "";
        return image.Contains("unpullable", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The first container or init container whose image never pulls, if any.</summary>
    public static V1Container? FirstUnpullable(V1Pod pod) =>
        AllContainers(pod).FirstOrDefault(c => IsUnpullable(pod, c.Image));

    /// <summary>The container's env SIM_EXIT_CODE, else the Pod's sim.gitops.dev/exit-code annotation, else 0.</summary>
    public static int ExitCode(V1Pod pod, V1Container container)
    {
        var text = EnvValue(container, ExitCodeEnv)
            ?? Annotation(pod, ExitCodeAnnotation);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : 0;
    }

    /// <summary>How long a run-to-completion Pod runs: the sim.gitops.dev/duration annotation (Go-style: 500ms, 3s,
    /// 1m30s), else the simulator's default.</summary>
    public static TimeSpan RunDuration(V1Pod pod, TimeSpan fallback) =>
        Annotation(pod, DurationAnnotation) is { } text && TryParseDuration(text, out var d)
            ? d
            : fallback;

    /// <summary>The container's "log": env SIM_LOG, else the Pod's sim.gitops.dev/log annotation, else one line
    /// naming the container; served to `kubectl logs` and kept (its tail) as the termination message.</summary>
    public static string Log(V1Pod pod, V1Container container)
    {
        var text = EnvValue(container, LogEnv) ?? Annotation(pod, LogAnnotation)
            ?? $"simulated container {container.Name} ({container.Image}); nothing really ran";
        return text.EndsWith('\n') ? text : text + "\n";
    }

    /// <summary>The log's tail that fits a termination message, as a kubelet truncates it.</summary>
    public static string TerminationMessage(V1Pod pod, V1Container container)
    {
        var log = Log(pod, container);
        var bytes = System.Text.Encoding.UTF8.GetByteCount(log);
        if (bytes <= MaxTerminationMessageBytes)
        {
            return log;
        }

        var tail = log[^Math.Min(log.Length, MaxTerminationMessageBytes)..];
        while (System.Text.Encoding.UTF8.GetByteCount(tail) > MaxTerminationMessageBytes)
        {
            tail = tail[1..];
        }

        return tail;
    }

    private static string? Annotation(V1Pod pod, string name) =>
        pod.Metadata.Annotations is { } a && a.TryGetValue(name, out var value) ? value : null;

    public static IEnumerable<V1Container> AllContainers(V1Pod pod) =>
        (pod.Spec.InitContainers ?? []).Concat(pod.Spec.Containers ?? []);

    private static string? EnvValue(V1Container container, string name) =>
        container.Env?.FirstOrDefault(e => e.Name == name && e.ValueFrom is null)?.Value;

    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var matches = DurationPart().Matches(text.Trim());
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text.Trim())
        {
            return false;
        }

        foreach (Match m in matches)
        {
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            duration += m.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                _ => TimeSpan.FromHours(value),
            };
        }

        return true;
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h)")]
    private static partial Regex DurationPart();
}
