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

    /// <summary>Pipelines (reported by Promotion through <see cref="IPipelineNotifier"/>, to the stage's app's
    /// subscribers): a revision waits only for an approver.</summary>
    ApprovalNeeded,

    /// <summary>A revision was committed to a stage's branch.</summary>
    Promoted,

    /// <summary>A stage's verification Job failed: the revision is blocked.</summary>
    VerificationFailed,

    /// <summary>A stage went back to a revision promoted to it earlier.</summary>
    PromotionRolledBack,
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
        [NotificationTrigger.ApprovalNeeded] = ("on-approval-needed", "ApprovalNeeded"),
        [NotificationTrigger.Promoted] = ("on-promoted", "Promoted"),
        [NotificationTrigger.VerificationFailed] = ("on-verification-failed", "VerificationFailed"),
        [NotificationTrigger.PromotionRolledBack] = ("on-promotion-rolled-back", "PromotionRolledBack"),
    };

    public static IEnumerable<NotificationTrigger> All => Spellings.Keys;

    /// <summary>The name in configuration and annotations, e.g. "on-sync-failed".</summary>
    public static string Name(this NotificationTrigger trigger) => Spellings[trigger].Name;

    /// <summary>The event reason, e.g. "SyncFailed" (as Kubernetes Events spell it).</summary>
    public static string Reason(this NotificationTrigger trigger) => Spellings[trigger].Reason;

    public static NotificationTrigger? Parse(string name) =>
        Spellings.Where(p => p.Value.Name == name).Select(p => (NotificationTrigger?)p.Key).FirstOrDefault();

    /// <summary>The trigger of an event AppEventDetector derived (the same detection as Kubernetes Events).</summary>
    public static NotificationTrigger? FromEvent(AppEvent e) =>
        Spellings.Where(p => p.Value.Reason == e.Reason).Select(p => (NotificationTrigger?)p.Key).FirstOrDefault();
}
