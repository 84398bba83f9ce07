using GitOps.Controller.State;

namespace GitOps.Controller.Notifications;

/// <summary>Something that happened to a revision at one stage of a pipeline. It is told to the subscribers of the
/// stage's app, as the app's own events are. <see cref="Trigger"/> is one of the pipeline triggers.</summary>
internal sealed record PipelineEvent(string Pipeline, string Stage, string Application, NotificationTrigger Trigger,
    string Revision, string Message)
{
    /// <summary>The event as the app events' vocabulary spells it (reason, type, message).</summary>
    public AppEvent ToAppEvent() => new(
        Trigger is NotificationTrigger.VerificationFailed or NotificationTrigger.PromotionRolledBack ? AppEvent.Warning : AppEvent.Normal,
        Trigger.Reason(),
        $"pipeline {Pipeline}, stage {Stage}: {Message}");
}

/// <summary>The port pipelines report through (Promotion/PipelineRunner calls it; <see cref="NotificationService"/>
/// implements it when `--notifications` is set). It never blocks: events are queued like app events.</summary>
internal interface IPipelineNotifier
{
    void Notify(PipelineEvent e);
}
