using System.Collections.Concurrent;

namespace GitOps.Controller.Notifications;

/// <summary>Lets one notification per key (app + trigger + revision + sink) through per window, so a flapping app
/// sends one message, not one per flap.</summary>
internal sealed class Deduplicator(TimeProvider clock, TimeSpan window)
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> sent = new(StringComparer.Ordinal);

    public static string Key(string app, NotificationTrigger trigger, string? revision, string sink) =>
        $"{app}\n{trigger}\n{revision}\n{sink}";

    /// <summary>True (and remembered) when the key was not let through within the window.</summary>
    public bool TryAcquire(string key)
    {
        var now = clock.GetUtcNow();
        if (sent.Count > PruneAbove)
        {
            foreach (var (k, at) in sent)
            {
                if (now - at >= window)
                {
                    sent.TryRemove(k, out _);
                }
            }
        }

        while (true)
        {
            if (sent.TryGetValue(key, out var last))
            {
                if (now - last < window)
                {
                    return false;
                }

                if (sent.TryUpdate(key, now, last))
                {
                    return true;
                }
            }
            else if (sent.TryAdd(key, now))
            {
                return true;
            }
        }
    }
}
