using System.Threading.Channels;

namespace GitOps.Controller.Reconcile;

/// <summary>
/// De-duplicating work queue (as client-go's): an app queued twice is processed once; an app triggered while
/// being processed is processed again right after. Delayed adds implement intervals and backoff.
/// </summary>
internal sealed class WorkQueue(TimeProvider clock)
{
    private readonly Lock gate = new();
    private readonly Channel<string> ready = Channel.CreateUnbounded<string>();
    private readonly Dictionary<string, Trigger> queued = new();
    private readonly HashSet<string> processing = new();
    private readonly Dictionary<string, Trigger> dirty = new();
    private readonly Dictionary<string, (DateTimeOffset Due, Trigger Trigger)> delayed = new();

    public int Depth
    {
        get { lock (gate) { return queued.Count; } }
    }

    public void Add(string app, Trigger trigger)
    {
        lock (gate)
        {
            delayed.Remove(app);
            if (processing.Contains(app))
            {
                dirty[app] = Stronger(dirty.GetValueOrDefault(app, trigger), trigger);
                return;
            }

            if (queued.TryGetValue(app, out var existing))
            {
                queued[app] = Stronger(existing, trigger);
                return;
            }

            queued[app] = trigger;
            ready.Writer.TryWrite(app);
        }
    }

    /// <summary>Queues the app after a delay, unless something queues it sooner.</summary>
    public void AddAfter(string app, TimeSpan delay, Trigger trigger)
    {
        lock (gate)
        {
            var due = clock.GetUtcNow() + delay;
            if (!delayed.TryGetValue(app, out var current) || due < current.Due)
            {
                delayed[app] = (due, trigger);
            }
        }
    }

    /// <summary>Moves due delayed items to the ready queue; the loop calls it on a short tick.</summary>
    public void PromoteDue()
    {
        List<(string, Trigger)> due;
        lock (gate)
        {
            var now = clock.GetUtcNow();
            due = delayed.Where(d => d.Value.Due <= now).Select(d => (d.Key, d.Value.Trigger)).ToList();
            foreach (var (app, _) in due)
            {
                delayed.Remove(app);
            }
        }

        foreach (var (app, trigger) in due)
        {
            Add(app, trigger);
        }
    }

    public async Task<(string App, Trigger Trigger)> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var app = await ready.Reader.ReadAsync(cancellationToken);
            lock (gate)
            {
                if (queued.Remove(app, out var trigger))
                {
                    processing.Add(app);
                    return (app, trigger);
                }
            }
        }
    }

    /// <summary>Marks the app done; if it was triggered meanwhile it goes straight back to the queue.</summary>
    public void Done(string app)
    {
        Trigger? again = null;
        lock (gate)
        {
            processing.Remove(app);
            if (dirty.Remove(app, out var trigger))
            {
                again = trigger;
            }
        }

        if (again is { } t)
        {
            Add(app, t);
        }
    }

    // A spec change or a user action outranks a timer, so history records the more telling cause.
    private static Trigger Stronger(Trigger a, Trigger b) => (Trigger)Math.Max((int)a, (int)b);
}
