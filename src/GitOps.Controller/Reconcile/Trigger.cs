namespace GitOps.Controller.Reconcile;

/// <summary>Why an app is being reconciled; recorded as "initiated by" in history.</summary>
internal enum Trigger { Interval, Webhook, Drift, SpecChange, Manual, Rollback }

internal static class TriggerNames
{
    public static string InitiatedBy(this Trigger trigger) => trigger switch
    {
        Trigger.Manual => "user",
        Trigger.Webhook => "webhook",
        Trigger.Rollback => "rollback",
        _ => "auto",
    };
}
