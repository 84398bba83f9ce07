using GitOps.Controller.Applications;
using GitOps.Engine;
using k8s;
using k8s.Models;

namespace GitOps.Controller.State;

/// <summary>A Kubernetes Event about an application (type Normal or Warning).</summary>
internal sealed record AppEvent(string Type, string Reason, string Message)
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
}

/// <summary>Where application events go (Kubernetes Events on the Application object in CRD mode).</summary>
internal interface IAppEvents
{
    Task RecordAsync(string app, IReadOnlyList<AppEvent> events, CancellationToken cancellationToken);
}

/// <summary>Derives events from two consecutive statuses, so the reconciler needs no event calls: a finished
/// operation (Synced / SyncFailed), a rollback history entry (RolledBack), a new or changed error condition
/// (ComparisonError, InvalidSpec, SharedResource, AdoptionRequired, ProjectViolation), health turning Degraded and back to
/// Healthy (HealthDegraded, HealthRecovered), and pause / resume. Kubernetes Events and notifications both come from here.</summary>
internal static class AppEventDetector
{
    private static readonly string[] WarningConditions =
        [ConditionTypes.ComparisonError, ConditionTypes.InvalidSpec, ConditionTypes.SharedResource, ConditionTypes.AdoptionRequired,
         ConditionTypes.ProjectViolation];

    public static IReadOnlyList<AppEvent> Detect(AppStatus before, AppStatus after)
    {
        var events = new List<AppEvent>();
        if (after.Operation is { FinishedAt: not null } op
            && (before.Operation is not { FinishedAt: not null } previous || previous.StartedAt != op.StartedAt))
        {
            var revision = after.History.LastOrDefault()?.Revision.Sha is { } sha ? $" of {Short(sha)}" : "";
            events.Add(op.Phase == OperationPhase.Succeeded
                ? new AppEvent(AppEvent.Normal, "Synced", $"sync{revision} ({op.InitiatedBy.Name()}) succeeded: {op.Message}")
                : new AppEvent(AppEvent.Warning, "SyncFailed", $"sync{revision} ({op.InitiatedBy.Name()}) failed: {op.Message}"));
        }

        var lastId = before.History.Count == 0 ? 0 : before.History[^1].Id;
        foreach (var entry in after.History.Where(h => h.Id > lastId && h.InitiatedBy == Initiator.Rollback))
        {
            events.Add(new AppEvent(AppEvent.Normal, "RolledBack", entry.Message));
        }

        foreach (var condition in after.Conditions.Where(c => WarningConditions.Contains(c.Type)))
        {
            if (!before.Conditions.Any(c => c.Type == condition.Type && c.Message == condition.Message))
            {
                events.Add(new AppEvent(AppEvent.Warning, condition.Type, condition.Message));
            }
        }

        if (after.Health == HealthState.Degraded && before.Health != HealthState.Degraded)
        {
            events.Add(new AppEvent(AppEvent.Warning, "HealthDegraded", "health is Degraded" + DegradedDetail(after)));
        }
        else if (before.Health == HealthState.Degraded && after.Health == HealthState.Healthy)
        {
            events.Add(new AppEvent(AppEvent.Normal, "HealthRecovered", "health is Healthy again"));
        }

        if (before.Paused != after.Paused)
        {
            events.Add(after.Paused
                ? new AppEvent(AppEvent.Normal, "Paused", "automatic sync and self-heal are paused")
                : new AppEvent(AppEvent.Normal, "Resumed", "automatic sync and self-heal are resumed"));
        }

        return events;
    }

    private static string DegradedDetail(AppStatus status)
    {
        var degraded = status.Resources.Where(r => r.Health == HealthState.Degraded).ToList();
        return degraded.Count == 0 ? "" : ": " + string.Join(", ", degraded.Take(3).Select(r => $"{r.Kind}/{r.Name}" +
            (string.IsNullOrEmpty(r.Message) ? "" : $" ({r.Message})"))) + (degraded.Count > 3 ? $" and {degraded.Count - 3} more" : "");
    }

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;
}

/// <summary>Creates core/v1 Events whose involvedObject is the Application, as `kubectl describe gapp` shows
/// them. An event that cannot be written is logged and dropped: events never fail a reconcile.</summary>
internal sealed class KubernetesAppEvents(ApplicationLocator locator, KubernetesEvents writer) : IAppEvents
{
    public async Task RecordAsync(string app, IReadOnlyList<AppEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0 || locator.Find(app) is not { } target)
        {
            return;
        }

        var involved = new V1ObjectReference
        {
            ApiVersion = ApplicationDocuments.ApiVersion,
            Kind = ApplicationDocuments.Kind,
            Name = target.Name,
            NamespaceProperty = target.Namespace,
            Uid = target.Uid,
        };
        foreach (var e in events)
        {
            await writer.WriteAsync(involved, e, cancellationToken);
        }
    }
}

/// <summary>Writes one core/v1 Event about one of our objects (an Application, a Pipeline). An event that cannot
/// be written is logged and dropped: events never fail the work that raised them.</summary>
internal sealed class KubernetesEvents(IKubernetes client, TimeProvider clock, ILogger<KubernetesEvents> logger)
{
    private const string Component = "gitops-controller";
    private const int MaxMessage = 1024;

    public async Task WriteAsync(V1ObjectReference involved, AppEvent e, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var body = new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = involved.Name + ".", NamespaceProperty = involved.NamespaceProperty },
            InvolvedObject = involved,
            Type = e.Type,
            Reason = e.Reason,
            Message = e.Message.Length > MaxMessage ? e.Message[..MaxMessage] : e.Message,
            Source = new V1EventSource { Component = Component },
            ReportingComponent = Component,
            ReportingInstance = Environment.MachineName,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        try
        {
            await client.CoreV1.CreateNamespacedEventAsync(body, involved.NamespaceProperty, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is k8s.Autorest.HttpOperationException or HttpRequestException or IOException)
        {
            logger.LogWarning("{Kind} {Name}: could not record event {Reason}: {Error}", involved.Kind, involved.Name, e.Reason, ex.Message);
        }
    }
}
