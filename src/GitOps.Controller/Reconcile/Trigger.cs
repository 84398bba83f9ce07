using GitOps.Controller.State;

namespace GitOps.Controller.Reconcile;

/// <summary>Why an app is being reconciled; recorded as "initiated by" in history.</summary>
internal enum Trigger { Interval, Webhook, Drift, SpecChange, Manual, Rollback }

internal static class TriggerNames
{
    public static Initiator InitiatedBy(this Trigger trigger) => trigger switch
    {
        Trigger.Manual => Initiator.User,
        Trigger.Webhook => Initiator.Webhook,
        Trigger.Rollback => Initiator.Rollback,
        _ => Initiator.Auto,
    };
}
