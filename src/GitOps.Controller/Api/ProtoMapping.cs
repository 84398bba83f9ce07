using Google.Protobuf.WellKnownTypes;
using GitOps.Controller.Applications;
using GitOps.Controller.State;
using GitOps.Engine;
using GitOps.Source;
using V1 = GitOps.Api.V1;

namespace GitOps.Controller.Api;

/// <summary>Controller model → gRPC messages: the one place the typed status (the engine's SyncState, HealthState,
/// ResourceAction, SyncOutcome and the controller's OperationPhase, Initiator) becomes proto enums and the
/// strings the proto carries (phase "Succeeded", initiatedBy "auto", result "prune-skipped").</summary>
internal static class ProtoMapping
{
    public static V1.Application ToProto(Application app, AppStatus status, bool includeHistory)
    {
        var message = new V1.Application
        {
            Name = app.Name,
            Project = app.Spec.Project,
            Source = new V1.Source
            {
                RepoUrl = RepositoryUrl.Mask(app.Spec.Source.RepoUrl),
                TargetRevision = app.Spec.Source.TargetRevision,
                Path = app.Spec.Source.Path,
                Chart = app.Spec.Source.Chart ?? "",
            },
            Destination = new V1.Destination { Namespace = app.Spec.Destination.Namespace },
            SyncStatus = ToProto(status.Sync),
            HealthStatus = ToProto(status.Health),
            Paused = status.Paused || app.Spec.Suspended,
            AutoSync = app.Spec.Automated,
            Prune = app.Spec.SyncPolicy?.Automated?.Prune ?? false,
            SelfHeal = app.Spec.SyncPolicy?.Automated?.SelfHeal ?? false,
        };
        if (status.Revision is { } rev)
        {
            message.Revision = ToProto(rev);
        }

        message.Resources.AddRange(status.Resources.Select(ToProto));
        message.Conditions.AddRange(status.Conditions.Select(c => new V1.Condition
        {
            Type = c.Type,
            Message = c.Message,
            LastTransitionTime = Timestamp.FromDateTimeOffset(c.LastTransitionTime),
        }));
        if (status.Operation is { } op)
        {
            message.Operation = ToProto(op);
        }

        if (status.LastSyncedAt is { } synced)
        {
            message.LastSyncedAt = Timestamp.FromDateTimeOffset(synced);
        }

        if (status.ReconciledAt is { } reconciled)
        {
            message.ReconciledAt = Timestamp.FromDateTimeOffset(reconciled);
        }

        if (includeHistory)
        {
            message.History.AddRange(status.History.Select(ToProto));
        }

        return message;
    }

    public static V1.Revision ToProto(RevisionInfo rev)
    {
        var message = new V1.Revision { Sha = rev.Sha, Subject = rev.Subject, Author = rev.Author };
        if (rev.CommittedAt is { } at)
        {
            message.CommittedAt = Timestamp.FromDateTimeOffset(at);
        }

        return message;
    }

    public static V1.ResourceStatus ToProto(ResourceState r) => new()
    {
        Group = r.Group,
        Version = r.Version,
        Kind = r.Kind,
        Namespace = r.Namespace,
        Name = r.Name,
        Status = ToProto(r.Status),
        Health = ToProto(r.Health),
        Message = r.Message,
        Missing = r.Missing,
        Extraneous = r.Extraneous,
    };

    public static V1.Operation ToProto(OperationState op)
    {
        var message = new V1.Operation
        {
            Phase = ToProto(op.Phase),
            Message = op.Message,
            InitiatedBy = op.InitiatedBy.Name(),
            StartedAt = Timestamp.FromDateTimeOffset(op.StartedAt),
        };
        if (op.FinishedAt is { } finished)
        {
            message.FinishedAt = Timestamp.FromDateTimeOffset(finished);
        }

        if (op.Revision is { } revision)
        {
            message.Revision = ToProto(revision);
        }

        message.Results.AddRange((op.Results ?? []).Select(r => new V1.ResourceResult
        {
            Group = r.Group,
            Kind = r.Kind,
            Namespace = r.Namespace,
            Name = r.Name,
            Result = r.Result.Name(),
            Message = r.Message,
        }));
        return message;
    }

    public static V1.HistoryEntry ToProto(HistoryEntry h) => new()
    {
        Id = h.Id,
        Revision = ToProto(h.Revision),
        StartedAt = Timestamp.FromDateTimeOffset(h.StartedAt),
        FinishedAt = Timestamp.FromDateTimeOffset(h.FinishedAt),
        Result = ToProto(h.Result),
        InitiatedBy = h.InitiatedBy.Name(),
        Message = h.Message,
        Count = h.Count,
    };

    public static string ToProto(OperationPhase phase) => phase switch
    {
        OperationPhase.Running => "Running",
        OperationPhase.Succeeded => "Succeeded",
        OperationPhase.Failed => "Failed",
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, null),
    };

    public static string ToProto(SyncOutcome outcome) => outcome switch
    {
        SyncOutcome.Succeeded => "Succeeded",
        SyncOutcome.Failed => "Failed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>The proto has no Missing/Extraneous sync status: such a resource is out of sync (flagged apart).</summary>
    public static V1.SyncStatus ToProto(SyncState s) => s switch
    {
        SyncState.Synced => V1.SyncStatus.Synced,
        SyncState.OutOfSync or SyncState.Missing or SyncState.Extraneous => V1.SyncStatus.OutOfSync,
        _ => V1.SyncStatus.Unknown,
    };

    public static V1.HealthStatus ToProto(HealthState h) => h switch
    {
        HealthState.Healthy => V1.HealthStatus.Healthy,
        HealthState.Progressing => V1.HealthStatus.Progressing,
        HealthState.Degraded => V1.HealthStatus.Degraded,
        HealthState.Suspended => V1.HealthStatus.Suspended,
        HealthState.Missing => V1.HealthStatus.Missing,
        _ => V1.HealthStatus.Unknown,
    };

    /// <summary>The app's spec as the Application resource spells it (spec_json), credentials in its repoURL masked:
    /// everything else in a spec is declared in git or in the Application object, so it is not secret.</summary>
    public static string SpecJson(Application app) =>
        ApplicationDocuments.SpecJson(app.Spec with
        {
            Source = app.Spec.Source with { RepoUrl = RepositoryUrl.Mask(app.Spec.Source.RepoUrl) },
        });
}
