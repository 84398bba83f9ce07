using GitOps.Controller.State;

namespace GitOps.Controller.Notifications;

/// <summary>What happened to an app, as notifications name it (Argo CD's trigger names).</summary>
internal enum NotificationTrigger
{
    SyncSucceeded,
    SyncFailed,
    HealthDegraded,
    HealthRecovered,
    ComparisonError,
    Paused,
    Resumed,
    RolledBack,
}

internal static class NotificationTriggers
{
    private static readonly Dictionary<NotificationTrigger, (string Name, string Reason)> Spellings = new()
    {
        [NotificationTrigger.SyncSucceeded] = ("on-sync-succeeded", "Synced"),
        [NotificationTrigger.SyncFailed] = ("on-sync-failed", "SyncFailed"),
        [NotificationTrigger.HealthDegraded] = ("on-health-degraded", "HealthDegraded"),
        [NotificationTrigger.HealthRecovered] = ("on-health-recovered", "HealthRecovered"),
        [NotificationTrigger.ComparisonError] = ("on-comparison-error", ConditionTypes.ComparisonError),
        [NotificationTrigger.Paused] = ("on-paused", "Paused"),
        [NotificationTrigger.Resumed] = ("on-resumed", "Resumed"),
        [NotificationTrigger.RolledBack] = ("on-rolled-back", "RolledBack"),
    };

    public static IEnumerable<NotificationTrigger> All => Spellings.Keys;

    /// <summary>The name in configuration and annotations, e.g. "on-sync-failed".</summary>
    public static string Name(this NotificationTrigger trigger) => Spellings[trigger].Name;

    public static NotificationTrigger? Parse(string name) =>
        Spellings.Where(p => p.Value.Name == name).Select(p => (NotificationTrigger?)p.Key).FirstOrDefault();

    /// <summary>The trigger of an event AppEventDetector derived (the same detection as Kubernetes Events).</summary>
    public static NotificationTrigger? FromEvent(AppEvent e) =>
        Spellings.Where(p => p.Value.Reason == e.Reason).Select(p => (NotificationTrigger?)p.Key).FirstOrDefault();
}
