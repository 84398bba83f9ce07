using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Controller.Notifications;

/// <summary>A request ready to send (and to resend unchanged on retry).</summary>
internal sealed record Delivery(Sink Sink, NotificationEvent Event, byte[] Body, string? Signature, string Id);

/// <summary>Formats an event for a sink: a generic JSON document, or the incoming-webhook payloads of Slack, Microsoft
/// Teams (an Adaptive Card message, as Teams workflows accept) and Mattermost.</summary>
internal static class SinkPayloads
{
    /// <summary>HMAC-SHA256 of the body with the sink's secret, hex: <c>sha256=…</c> (as GitHub's X-Hub-Signature-256).</summary>
    public const string SignatureHeader = "X-GitOps-Signature-256";
    public const string EventHeader = "X-GitOps-Event";
    public const string DeliveryHeader = "X-GitOps-Delivery";

    public static Delivery Create(Sink sink, NotificationEvent e, string text, string? channel)
    {
        JsonObject body = sink.Type switch
        {
            SinkType.Slack => Chat(text, channel ?? sink.Channel, username: null),
            SinkType.Mattermost => Chat(text, channel ?? sink.Channel, username: "gitops"),
            SinkType.Teams => Teams(e, text),
            _ => Generic(e, text),
        };
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        var signature = sink.SigningKey is { } key ? "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, bytes)) : null;
        return new Delivery(sink, e, bytes, signature, Guid.NewGuid().ToString("N"));
    }

    private static JsonObject Generic(NotificationEvent e, string text) => new()
    {
        ["app"] = e.App,
        ["trigger"] = e.Trigger.Name(),
        ["reason"] = e.Event.Reason,
        ["type"] = e.Event.Type,
        ["message"] = e.Event.Message,
        ["text"] = text,
        ["revision"] = e.Revision,
        ["revisionSubject"] = e.RevisionSubject,
        ["sync"] = e.Sync,
        ["health"] = e.Health,
        ["time"] = e.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["labels"] = new JsonObject(e.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
    };

    private static JsonObject Chat(string text, string? channel, string? username)
    {
        var body = new JsonObject { ["text"] = text };
        if (channel is not null)
        {
            body["channel"] = channel;
        }

        if (username is not null)
        {
            body["username"] = username;
        }

        return body;
    }

    private static JsonObject Teams(NotificationEvent e, string text) => new()
    {
        ["type"] = "message",
        ["attachments"] = new JsonArray(new JsonObject
        {
            ["contentType"] = "application/vnd.microsoft.card.adaptive",
            ["content"] = new JsonObject
            {
                ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                ["type"] = "AdaptiveCard",
                ["version"] = "1.4",
                ["body"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "TextBlock", ["weight"] = "Bolder", ["wrap"] = true,
                        ["color"] = e.Event.Type == "Warning" ? "Attention" : "Good",
                        ["text"] = $"{e.App}: {e.Trigger.Name()}",
                    },
                    new JsonObject { ["type"] = "TextBlock", ["wrap"] = true, ["text"] = text }),
            },
        }),
    };
}
