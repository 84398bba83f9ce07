using System.Text.Json.Nodes;
using GitOps.Controller.Notifications;
using GitOps.Controller.State;
using Microsoft.Extensions.Time.Testing;
using static GitOps.Controller.Tests.Notifications.NotificationTestKit;

namespace GitOps.Controller.Tests.Notifications;

/// <summary>De-duplication, subscriptions, templates and payloads (pure rules, no network).</summary>
public sealed class NotificationRulesTests
{
    private const string TwoSinks = """
        sinks:
        - name: slack
          type: slack
          url: https://hooks.slack.com/services/T0/B0/xyz
          channel: "#general"
        - name: teams
          type: teams
          urlFrom: {file: /dev/null}
        templates:
          failed: "{{ .app | upper }} failed at {{ .revisionShort }}: {{ .message }}"
        triggers:
          on-sync-failed: failed
        subscriptions:
        - selector: {team: payments}
          triggers: [on-sync-failed]
          sinks: [teams]
        """;

    [Fact]
    public void The_same_app_trigger_and_revision_pass_once_per_window()
    {
        var clock = new FakeTimeProvider();
        var dedupe = new Deduplicator(clock, TimeSpan.FromMinutes(10));
        var key = Deduplicator.Key("web", NotificationTrigger.HealthDegraded, "abc", "slack");

        Assert.True(dedupe.TryAcquire(key));
        Assert.False(dedupe.TryAcquire(key));
        Assert.True(dedupe.TryAcquire(Deduplicator.Key("web", NotificationTrigger.HealthDegraded, "def", "slack")));
        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.True(dedupe.TryAcquire(key));
    }

    [Fact]
    public void Annotations_and_label_selectors_subscribe_sinks()
    {
        var config = Config(TwoSinks.Replace("/dev/null", WriteTemp("https://example.webhook.office.com/x"), StringComparison.Ordinal));
        var app = App("pay", labels: new Dictionary<string, string> { ["team"] = "payments" },
            annotations: new Dictionary<string, string> { ["notifications.gitops.dev/subscribe.on-sync-failed.slack"] = "#alerts" });

        var failed = Subscriptions.For(app, NotificationTrigger.SyncFailed, config);
        var synced = Subscriptions.For(app, NotificationTrigger.SyncSucceeded, config);

        Assert.Equal([new Recipient("slack", "#alerts"), new Recipient("teams", null)], failed);
        Assert.Empty(synced);
        var all = App("x", annotations: new Dictionary<string, string> { ["notifications.gitops.dev/subscribe.teams"] = "" });
        Assert.Equal([new Recipient("teams", null)], Subscriptions.For(all, NotificationTrigger.Resumed, config));
    }

    [Fact]
    public void Messages_are_go_templates_with_sprig_functions_and_sinks_get_their_payload()
    {
        var config = Config(TwoSinks.Replace("/dev/null", WriteTemp("https://example.webhook.office.com/x"), StringComparison.Ordinal));
        var templates = new MessageTemplates(config, "test.yaml");
        var e = new NotificationEvent("pay", NotificationTrigger.SyncFailed, new AppEvent(AppEvent.Warning, "SyncFailed", "boom"),
            "0123456789abcdef", "subject", "OutOfSync", "Degraded", DateTimeOffset.UnixEpoch, new Dictionary<string, string>());

        var text = templates.Render(e, config.FindSink("slack")!);
        var slack = JsonNode.Parse(SinkPayloads.Create(config.FindSink("slack")!, e, text, "#alerts").Body)!;
        var teams = JsonNode.Parse(SinkPayloads.Create(config.FindSink("teams")!, e, text, null).Body)!;

        Assert.Equal("PAY failed at 0123456: boom", text);
        Assert.Equal("#alerts", (string?)slack["channel"]);
        Assert.Equal(text, (string?)slack["text"]);
        Assert.Equal("AdaptiveCard", (string?)teams["attachments"]![0]!["content"]!["type"]);
        Assert.Null(SinkPayloads.Create(config.FindSink("slack")!, e, text, null).Signature);
    }

    [Fact]
    public void A_config_error_names_the_sink_and_never_the_url()
    {
        var error = Assert.Throws<InvalidDataException>(() => Config("""
            sinks:
            - name: chat
              type: mattermost
              url: "not a url /hooks/s3cr3t"
            """));

        Assert.Contains("sink 'chat'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }

    private static string WriteTemp(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), "gitops-url-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(path, content);
        return path;
    }
}
