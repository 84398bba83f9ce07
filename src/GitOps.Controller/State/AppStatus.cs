namespace GitOps.Controller.State;

internal enum SyncState { Unknown, Synced, OutOfSync }

internal enum HealthState { Unknown, Healthy, Progressing, Degraded, Suspended, Missing }

/// <summary>A commit as the status reports it.</summary>
internal sealed record RevisionInfo(string Sha, string Subject = "", string Author = "", DateTimeOffset? CommittedAt = null);

/// <summary>One managed object's state.</summary>
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

internal sealed record ResourceResult(string Group, string Kind, string Namespace, string Name, string Result, string Message = "");

internal enum OperationPhase { Running, Succeeded, Failed }

/// <summary>The current or last sync operation.</summary>
internal sealed record OperationState(
    OperationPhase Phase,
    string Message,
    string InitiatedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt = null,
    IReadOnlyList<ResourceResult>? Results = null);

/// <summary>One sync in the app's history.</summary>
internal sealed record HistoryEntry(
    long Id,
    RevisionInfo Revision,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Result,
    string InitiatedBy,
    string Message = "");

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

    public AppStatus WithCondition(string type, string? message, TimeProvider clock)
    {
        var others = Conditions.Where(c => c.Type != type);
        if (message is null)
        {
            return this with { Conditions = others.ToList() };
        }

        var existing = Conditions.FirstOrDefault(c => c.Type == type);
        var condition = existing is not null && existing.Message == message
            ? existing
            : new AppCondition(type, message, clock.GetUtcNow());
        return this with { Conditions = others.Append(condition).ToList() };
    }

    public AppStatus AppendHistory(HistoryEntry entry, int limit) =>
        this with { History = History.Append(entry).TakeLast(limit).ToList() };

    public long NextHistoryId => History.Count == 0 ? 1 : History[^1].Id + 1;
}

internal static class ConditionTypes
{
    public const string ComparisonError = "ComparisonError";
    public const string SyncError = "SyncError";
    public const string InvalidSpec = "InvalidSpec";
    public const string SharedResource = "SharedResource";
}
