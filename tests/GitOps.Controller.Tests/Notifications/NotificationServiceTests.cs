using GitOps.Controller.Applications;
using GitOps.Controller.Notifications;
using GitOps.Controller.State;
using GitOps.Engine;
using GitOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using static GitOps.Controller.Tests.Notifications.NotificationTestKit;

namespace GitOps.Controller.Tests.Notifications;

/// <summary>Status changes published on the StatusHub reach a real receiver once each; a flapping app is
/// de-duplicated; publishing never waits for a sink.</summary>
public sealed class NotificationServiceTests
{
    [Fact]
    public async Task Transitions_arrive_once_and_flapping_is_deduplicated()
    {
        using var receiver = new WebhookReceiver();
        // One worker: deliveries in order, so the last one marks the end of the sequence.
        var config = WebhookConfig(receiver.Url()) with { Workers = 1 };
        var hub = new StatusHub();
        var registry = new ApplicationRegistry();
        registry.Upsert(App("web"));
        using var service = new NotificationService(hub, registry, config, new MessageTemplates(config, "test"),
            new NotificationSender(new HttpClient(), config, TimeProvider.System, NullLogger<NotificationSender>.Instance),
            TimeProvider.System, NullLogger<NotificationService>.Instance);
        await service.StartAsync(CancellationToken.None);

        var at = DateTimeOffset.UtcNow;
        var synced = Synced("1111111111111111111111111111111111111111", 1, at);
        hub.Publish("web", new AppStatus { Health = HealthState.Healthy }); // the baseline
        hub.Publish("web", synced);
        for (var i = 0; i < 10; i++)
        {
            hub.Publish("web", synced with { Health = HealthState.Degraded });
            hub.Publish("web", synced);
        }

        hub.Publish("web", synced with { Paused = true }); // the end marker

        await Eventually.HoldsAsync(() => Task.FromResult(receiver.Requests), r => r.Any(x => x.Headers[SinkPayloads.EventHeader] == "on-paused"),
            TimeSpan.FromSeconds(20), "the end marker arrives");
        await service.StopAsync(CancellationToken.None);

        var events = receiver.Requests.Select(r => r.Headers[SinkPayloads.EventHeader]).ToList();
        Assert.Equal(["on-sync-succeeded", "on-health-degraded", "on-health-recovered", "on-paused"], events);
    }
}
