using System.Text.Json;
using System.Text.Json.Serialization;
using GitOps.Engine;

namespace GitOps.Controller.State;

// The status speaks the engine's vocabulary (GitOps.Engine.SyncState, HealthState, ResourceAction, SyncOutcome);
// only the API edge (Api/ProtoMapping) turns it into proto enums and strings. Persisted spellings are those of
// earlier versions, so stored status (CRD status, --state-dir files) still reads: enums by name ("Synced",
// "Healthy", "Succeeded"), initiators in lower case ("auto"), resource actions as ResourceActions spells them.

/// <summary>Who started a sync (history and operation "initiatedBy").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Initiator>))]
internal enum Initiator
{
    /// <summary>The controller's policy (automated sync, self-heal, a spec change, a refresh).</summary>
    [JsonStringEnumMemberName("auto")]
    Auto,

    /// <summary>A user's sync through the API or CLI.</summary>
    [JsonStringEnumMemberName("user")]
    User,

    /// <summary>A pass queued by a push webhook (or its refresh annotation).</summary>
    [JsonStringEnumMemberName("webhook")]
    Webhook,

    /// <summary>A rollback (the revert commit, and the sync of it).</summary>
    [JsonStringEnumMemberName("rollback")]
    Rollback,
}

internal static class InitiatorNames
{
    /// <summary>The one spelling, as persisted and as the API reports it.</summary>
    public static string Name(this Initiator initiator) => initiator switch
    {
        Initiator.Auto => "auto",
        Initiator.User => "user",
        Initiator.Webhook => "webhook",
        Initiator.Rollback => "rollback",
        _ => throw new ArgumentOutOfRangeException(nameof(initiator), initiator, null),
    };
}

/// <summary>A commit as the status reports it.</summary>
internal sealed record RevisionInfo(string Sha, string Subject = "", string Author = "", DateTimeOffset? CommittedAt = null);

/// <summary>One managed object's state. <see cref="Status"/> is Synced or OutOfSync (a missing or extraneous
/// object is out of sync, flagged by <see cref="Missing"/> / <see cref="Extraneous"/>).</summary>
internal sealed record ResourceState(
    string Group,
    string Version,
    string Kind,
    string Namespace,
    string Name,
    SyncState Status,
    HealthState Health,
    string Message = "",
    bool Missing = false,
    bool Extraneous = false)
{
    public string Key => $"{Group}/{Kind}/{Namespace}/{Name}";
}

/// <summary>Condition types: ComparisonError, SyncError, InvalidSpec, SharedResource, Paused.</summary>
internal sealed record AppCondition(string Type, string Message, DateTimeOffset LastTransitionTime);

/// <summary>What a sync did to one object, as the status keeps it.</summary>
internal sealed record ResourceSyncResult(
    string Group,
    string Kind,
    string Namespace,
    string Name,
    [property: JsonConverter(typeof(ResourceActionJsonConverter))] ResourceAction Result,
    string Message = "");

internal enum OperationPhase { Running, Succeeded, Failed }

internal static class OperationPhases
{
    public static OperationPhase Of(SyncOutcome outcome) =>
        outcome == SyncOutcome.Succeeded ? OperationPhase.Succeeded : OperationPhase.Failed;
}

/// <summary>The current or last sync operation.</summary>
internal sealed record OperationState(
    OperationPhase Phase,
    string Message,
    Initiator InitiatedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt = null,
    IReadOnlyList<ResourceSyncResult>? Results = null)
{
    /// <summary>The last lines of the engine's operation log (milestones and failures; never Secret values), as
    /// compact <see cref="LogLines"/>.</summary>
    [JsonConverter(typeof(LogLinesJsonConverter))]
    public IReadOnlyList<string>? Log { get; init; }

    /// <summary>The revision being synced. A Running operation is persisted before the first write, so one a
    /// crash interrupted is found on restart and recorded (as Argo CD keeps it in the Application's operation).</summary>
    public RevisionInfo? Revision { get; init; }
}

/// <summary>One sync in the app's history.</summary>
internal sealed record HistoryEntry(
    long Id,
    RevisionInfo Revision,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    SyncOutcome Result,
    Initiator InitiatedBy,
    string Message = "")
{
    /// <summary>How many identical failed syncs (same revision, initiator and message) this entry stands for:
    /// repeated failures are one entry with a count, so they never push real entries out of the history.</summary>
    public int Count { get; init; } = 1;

    public bool SameFailureAs(HistoryEntry other) =>
        Result == SyncOutcome.Failed && other.Result == SyncOutcome.Failed && Revision.Sha == other.Revision.Sha
        && InitiatedBy == other.InitiatedBy && Message == other.Message;
}

/// <summary>Everything the controller knows about one app; persisted by the state store.</summary>
internal sealed record AppStatus
{
    public SyncState Sync { get; init; } = SyncState.Unknown;
    public HealthState Health { get; init; } = HealthState.Unknown;
    public RevisionInfo? Revision { get; init; }
    public bool Paused { get; init; }
    public IReadOnlyList<ResourceState> Resources { get; init; } = [];
    public IReadOnlyList<AppCondition> Conditions { get; init; } = [];
    public OperationState? Operation { get; init; }
    public IReadOnlyList<HistoryEntry> History { get; init; } = [];
    public DateTimeOffset? ReconciledAt { get; init; }
    public DateTimeOffset? LastSyncedAt { get; init; }

    /// <summary>Consecutive failed passes, for the retry backoff.</summary>
    public int Failures { get; init; }

    /// <summary>Sets or clears a condition. Returns this same instance when nothing changes, so an unchanged
    /// status stays reference-equal and a steady-state pass is recognised without serialising it.</summary>
    public AppStatus WithCondition(string type, string? message, TimeProvider clock)
    {
        var existing = Conditions.FirstOrDefault(c => c.Type == type);
        if (existing is null ? message is null : existing.Message == message)
        {
            return this;
        }

        var others = Conditions.Where(c => c.Type != type);
        if (message is null)
        {
            return this with { Conditions = others.ToList() };
        }

        return this with { Conditions = others.Append(new AppCondition(type, message, clock.GetUtcNow())).ToList() };
    }

    /// <summary>True when the two differ at most in <see cref="ReconciledAt"/>. Lists compare by reference (a
    /// pass that changed nothing reuses them), so a false answer only costs a write that was not needed.</summary>
    public bool SameApartFromReconciledAt(AppStatus other) =>
        other is not null && this with { ReconciledAt = other.ReconciledAt } == other;

    /// <summary>True when the two differ at most in <see cref="ReconciledAt"/> and the commit they were compared at:
    /// a commit elsewhere in the repository moved the app's revision and left everything else as it was.</summary>
    public bool SameApartFromRevisionAndReconciledAt(AppStatus other) =>
        other is not null && this with { ReconciledAt = other.ReconciledAt, Revision = other.Revision } == other;

    /// <summary>Appends an entry, or counts it on the last one when it repeats the same failure. (An array: every
    /// app keeps its history.)</summary>
    public AppStatus AppendHistory(HistoryEntry entry, int limit) =>
        History.Count > 0 && History[^1].SameFailureAs(entry)
            ? this with { History = History.Take(History.Count - 1).Append(History[^1] with { FinishedAt = entry.FinishedAt, Count = History[^1].Count + 1 }).ToArray() }
            : this with { History = History.Append(entry).TakeLast(limit).ToArray() };

    public long NextHistoryId => History.Count == 0 ? 1 : History[^1].Id + 1;
}

internal static class ConditionTypes
{
    public const string ComparisonError = "ComparisonError";
    public const string SyncError = "SyncError";
    public const string InvalidSpec = "InvalidSpec";
    public const string SharedResource = "SharedResource";
    public const string AdoptionRequired = "AdoptionRequired";
    public const string ProjectViolation = "ProjectViolation";
}

/// <summary>Persists a <see cref="ResourceAction"/> in its one spelling ("prune-skipped"); also reads the spelling
/// of earlier versions ("pruneskipped").</summary>
internal sealed class ResourceActionJsonConverter : JsonConverter<ResourceAction>
{
    public override ResourceAction Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ResourceActions.TryParse(reader.GetString(), out var action)
            ? action
            : throw new JsonException($"unknown resource action '{reader.GetString()}'");

    public override void Write(Utf8JsonWriter writer, ResourceAction value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Name());
}
