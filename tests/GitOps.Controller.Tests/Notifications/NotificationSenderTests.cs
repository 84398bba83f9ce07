using System.Security.Cryptography;
using System.Text;
using GitOps.Controller.Notifications;
using GitOps.Controller.State;
using GitOps.Testing;
using static GitOps.Controller.Tests.Notifications.NotificationTestKit;

namespace GitOps.Controller.Tests.Notifications;

/// <summary>Delivery to a real HTTP receiver on loopback: retries on 500 and on a slow answer, gives up on a
/// receiver that is down, never retries a 4xx, signs the body, and never logs the URL's secret path.</summary>
public sealed class NotificationSenderTests
{
    private static Delivery DeliveryFor(NotificationsConfig config) => SinkPayloads.Create(config.Sinks[0],
        new NotificationEvent("web", NotificationTrigger.SyncSucceeded, new AppEvent(AppEvent.Normal, "Synced", "ok"), "abc1234def",
            "a commit", "Synced", "Healthy", DateTimeOffset.UnixEpoch, new Dictionary<string, string>()), "web synced", null);

    private static (NotificationSender Sender, CapturingLogger<NotificationSender> Log) Sender(NotificationsConfig config)
    {
        var log = new CapturingLogger<NotificationSender>();
        return (new NotificationSender(new HttpClient(), config, TimeProvider.System, log), log);
    }

    [Fact]
    public async Task A_receiver_answering_500_is_retried_until_it_accepts()
    {
        using var receiver = new WebhookReceiver(n => (n <= 2 ? 500 : 200, TimeSpan.Zero));
        var config = WebhookConfig(receiver.Url());
        var (sender, log) = Sender(config);

        var sent = await sender.SendAsync(DeliveryFor(config), CancellationToken.None);

        Assert.True(sent);
        Assert.Equal(3, receiver.Requests.Count);
        var request = receiver.Requests[^1];
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), request.Body));
        Assert.Equal(expected, request.Headers[SinkPayloads.SignatureHeader]);
        Assert.Equal("on-sync-succeeded", request.Headers[SinkPayloads.EventHeader]);
        Assert.Contains("\"app\":\"web\"", request.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(log.Lines, l => l.Contains("s3cr3t-token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_receiver_that_is_down_is_given_up_after_the_attempts_without_logging_the_secret()
    {
        var config = WebhookConfig($"http://127.0.0.1:{LoopbackPorts.Free()}/hooks/T000/B000/s3cr3t-token");
        var (sender, log) = Sender(config);

        var sent = await sender.SendAsync(DeliveryFor(config), CancellationToken.None);

        Assert.False(sent);
        Assert.Contains(log.Lines, l => l.Contains("dropped after 3 attempts", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Contains("http://127.0.0.1:", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Lines, l => l.Contains("s3cr3t-token", StringComparison.Ordinal) || l.Contains("/hooks/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_slow_receiver_times_out_and_the_delivery_is_retried()
    {
        using var receiver = new WebhookReceiver(n => (200, n == 1 ? TimeSpan.FromSeconds(10) : TimeSpan.Zero));
        var config = WebhookConfig(receiver.Url());
        var (sender, log) = Sender(config);

        var sent = await sender.SendAsync(DeliveryFor(config), CancellationToken.None);

        Assert.True(sent);
        Assert.Equal(2, receiver.Attempts);
        Assert.Contains(log.Lines, l => l.Contains("no answer within 3s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_4xx_answer_is_final()
    {
        using var receiver = new WebhookReceiver(_ => (404, TimeSpan.Zero));
        var config = WebhookConfig(receiver.Url());
        var (sender, _) = Sender(config);

        Assert.False(await sender.SendAsync(DeliveryFor(config), CancellationToken.None));
        Assert.Equal(1, receiver.Attempts);
    }
}
