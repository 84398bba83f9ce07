namespace GitOps.Controller.Notifications;

/// <summary>A sink an event goes to, with an optional recipient (a Slack/Mattermost channel) from the annotation.</summary>
internal sealed record Recipient(string Sink, string? Channel);

/// <summary>
/// Which sinks hear of an app's trigger: the app's own annotations (file mode: metadata.annotations in the
/// applications file; CRD mode: on the Application object), and the config's label subscriptions.
/// <c>notifications.gitops.dev/subscribe.on-sync-failed.slack: "#deploys"</c> subscribes one trigger (the value,
/// when set, is the channel); <c>notifications.gitops.dev/subscribe.slack: ""</c> subscribes every trigger.
/// </summary>
internal static class Subscriptions
{
    public const string AnnotationPrefix = "notifications.gitops.dev/subscribe.";

    public static IReadOnlyList<Recipient> For(Application app, NotificationTrigger trigger, NotificationsConfig config)
    {
        var recipients = new Dictionary<string, Recipient>(StringComparer.Ordinal);
        foreach (var subscription in config.Subscriptions.Where(s => s.Triggers.Contains(trigger)
                     && s.Selector.All(l => app.Labels.TryGetValue(l.Key, out var v) && v == l.Value)))
        {
            foreach (var sink in subscription.Sinks)
            {
                recipients.TryAdd(sink, new Recipient(sink, null));
            }
        }

        var triggerPrefix = AnnotationPrefix + trigger.Name() + ".";
        foreach (var (key, value) in app.Annotations)
        {
            var sink = key.StartsWith(triggerPrefix, StringComparison.Ordinal) ? key[triggerPrefix.Length..]
                : key.StartsWith(AnnotationPrefix, StringComparison.Ordinal) && !key[AnnotationPrefix.Length..].Contains('.', StringComparison.Ordinal)
                    ? key[AnnotationPrefix.Length..]
                    : null;
            if (sink is not null && config.FindSink(sink) is not null)
            {
                // An annotation's channel wins over a label subscription's default.
                recipients[sink] = new Recipient(sink, string.IsNullOrWhiteSpace(value) ? null : value.Trim());
            }
        }

        return [.. recipients.Values.OrderBy(r => r.Sink, StringComparer.Ordinal)];
    }
}
