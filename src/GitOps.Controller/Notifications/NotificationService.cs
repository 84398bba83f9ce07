using System.Collections.Concurrent;
using System.Threading.Channels;
using GitOps.Controller.Applications;
using GitOps.Controller.State;
using GitOps.Engine;

namespace GitOps.Controller.Notifications;

/// <summary>
/// Hears every status change on the StatusHub, derives what happened with the detector Kubernetes Events use
/// (<see cref="AppEventDetector"/>), and queues a delivery per subscribed sink — de-duplicated, into a bounded queue
/// that workers drain. Nothing here runs on a reconcile's path: the hub never waits for a subscriber, and a full
/// queue drops (and logs) rather than waits. The first status seen of an app after start is its baseline.
/// </summary>
internal sealed partial class NotificationService(
    StatusHub hub,
    ApplicationRegistry registry,
    NotificationsConfig config,
    MessageTemplates templates,
    NotificationSender sender,
    TimeProvider clock,
    ILogger<NotificationService> logger) : BackgroundService, IPipelineNotifier
{
    private readonly Channel<Delivery> queue = Channel.CreateBounded<Delivery>(new BoundedChannelOptions(config.QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait, // with TryWrite: a full queue refuses, and we log the drop
    });

    private readonly Deduplicator dedupe = new(clock, config.DedupeWindow);
    private readonly ConcurrentDictionary<string, AppStatus> last = new(StringComparer.Ordinal);

    private readonly CancellationTokenSource subscription = new();
    private ChannelReader<(string App, AppStatus Status)>? changes;

    /// <summary>Subscribes while the host starts (ExecuteAsync runs later, on a pool thread), so no status published
    /// after start is missed.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        changes = hub.Subscribe(app: null, subscription.Token);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await subscription.CancelAsync();
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        subscription.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = Enumerable.Range(0, config.Workers).Select(_ => Task.Run(() => DeliverAsync(stoppingToken), stoppingToken));
        return Task.WhenAll([DetectAsync(changes!, stoppingToken), .. workers]);
    }

    private async Task DetectAsync(ChannelReader<(string App, AppStatus Status)> changes, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (app, status) in changes.ReadAllAsync(cancellationToken))
            {
                var before = last.GetValueOrDefault(app);
                last[app] = status;
                if (before is not null && registry.Find(app) is { } declared)
                {
                    Enqueue(declared, before, status);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            queue.Writer.TryComplete();
        }
    }

    /// <summary>A pipeline event goes to the subscribers of its stage's app, through the same de-duplication and queue.</summary>
    public void Notify(PipelineEvent e)
    {
        if (registry.Find(e.Application) is not { } app)
        {
            return;
        }

        var status = last.GetValueOrDefault(e.Application);
        Send(app, new NotificationEvent(app.Name, e.Trigger, e.ToAppEvent(), e.Revision, null,
            (status?.Sync ?? SyncState.Unknown).ToString(), (status?.Health ?? HealthState.Unknown).ToString(), clock.GetUtcNow(), app.Labels));
    }

    private void Enqueue(Application app, AppStatus before, AppStatus after)
    {
        foreach (var appEvent in AppEventDetector.Detect(before, after))
        {
            if (NotificationTriggers.FromEvent(appEvent) is not { } trigger)
            {
                continue;
            }

            var revision = after.History.LastOrDefault()?.Revision ?? after.Revision;
            Send(app, new NotificationEvent(app.Name, trigger, appEvent, revision?.Sha, revision?.Subject,
                after.Sync.ToString(), after.Health.ToString(), clock.GetUtcNow(), app.Labels));
        }
    }

    private void Send(Application app, NotificationEvent e)
    {
        foreach (var recipient in Subscriptions.For(app, e.Trigger, config))
        {
            if (config.FindSink(recipient.Sink) is not { } sink
                || !dedupe.TryAcquire(Deduplicator.Key(app.Name, e.Trigger, e.Revision, sink.Name)))
            {
                continue;
            }

            if (!queue.Writer.TryWrite(SinkPayloads.Create(sink, e, Text(e, sink), recipient.Channel)))
            {
                LogQueueFull(logger, app.Name, e.Trigger.Name(), sink.Name, config.QueueCapacity);
            }
        }
    }

    private string Text(NotificationEvent e, Sink sink)
    {
        try
        {
            return templates.Render(e, sink);
        }
        catch (GitOps.Templating.TemplateException ex)
        {
            LogTemplateFailed(logger, sink.Name, e.Trigger.Name(), ex.Message);
            return $"{e.App}: {e.Event.Message}";
        }
    }

    private async Task DeliverAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var delivery in queue.Reader.ReadAllAsync(cancellationToken))
            {
                await sender.SendAsync(delivery, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(LogLevel.Warning, "Notification {Trigger} of {App} to {Sink} dropped: the queue is full ({Capacity})")]
    private static partial void LogQueueFull(ILogger logger, string app, string trigger, string sink, int capacity);

    [LoggerMessage(LogLevel.Warning, "Notification template for sink {Sink}, trigger {Trigger} failed: {Error}; sent the default text")]
    private static partial void LogTemplateFailed(ILogger logger, string sink, string trigger, string error);
}
