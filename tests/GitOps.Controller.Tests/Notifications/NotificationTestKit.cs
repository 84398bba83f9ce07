using System.Collections.Concurrent;
using GitOps.Applications;
using GitOps.Controller.Notifications;
using GitOps.Controller.State;
using GitOps.Engine;
using Microsoft.Extensions.Logging;

namespace GitOps.Controller.Tests.Notifications;

/// <summary>Configs, statuses and a capturing logger for the notification tests.</summary>
internal static class NotificationTestKit
{
    public const string Secret = "hmac-key-for-tests";

    public static NotificationsConfig Config(string file, params (string Name, string Value)[] env)
    {
        var path = Path.Combine(Path.GetTempPath(), "gitops-notify-" + Guid.NewGuid().ToString("N")[..8] + ".yaml");
        File.WriteAllText(path, file);
        try
        {
            return NotificationsConfig.Load(path, name => env.FirstOrDefault(e => e.Name == name).Value);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static NotificationsConfig WebhookConfig(string url, string extra = "") => Config($"""
        sinks:
        - name: ops
          type: webhook
          urlFrom: {"{"}env: OPS_URL{"}"}
          secretFrom: {"{"}env: OPS_SECRET{"}"}
        subscriptions:
        - sinks: [ops]
        retryBase: 50ms
        retryMax: 200ms
        timeout: 3s
        maxAttempts: 3
        {extra}
        """, ("OPS_URL", url), ("OPS_SECRET", Secret));

    public static AppStatus Synced(string sha, long id, DateTimeOffset at) => new()
    {
        Sync = SyncState.Synced,
        Health = HealthState.Healthy,
        Revision = new RevisionInfo(sha, "a commit"),
        Operation = new OperationState(OperationPhase.Succeeded, "successfully synced", Initiator.Auto, at, at),
        History = [new HistoryEntry(id, new RevisionInfo(sha, "a commit"), at, at, SyncOutcome.Succeeded, Initiator.Auto)],
    };

    public static Application App(string name, IReadOnlyDictionary<string, string>? labels = null,
        IReadOnlyDictionary<string, string>? annotations = null) =>
        new(name, new ApplicationSpec())
        {
            Labels = labels ?? new Dictionary<string, string>(),
            Annotations = annotations ?? new Dictionary<string, string>(),
        };
}

/// <summary>Keeps every formatted log line, to assert what is (never) logged.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue(formatter(state, exception) + (exception is null ? "" : " " + exception));
}
