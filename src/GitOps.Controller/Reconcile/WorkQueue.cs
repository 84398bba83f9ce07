using System.Threading.Channels;

namespace GitOps.Controller.Reconcile;

/// <summary>
/// De-duplicating work queue (as client-go's): an app queued twice is processed once; an app triggered while
/// being processed is processed again right after. Delayed adds implement intervals and backoff. Each item
/// carries when it was last queued: its pass must see git at least as fresh as that (and no fresher is needed).
/// </summary>
internal sealed class WorkQueue(TimeProvider clock)
{
    private const int TrimAbove = 1024;
    private readonly Lock gate = new();
    private readonly Channel<string> ready = Channel.CreateUnbounded<string>();
    private readonly Dictionary<string, Queued> queued = new();
    private readonly HashSet<string> processing = new();
    private readonly Dictionary<string, Queued> dirty = new();
    private readonly Dictionary<string, (DateTimeOffset Due, Trigger Trigger)> delayed = new();

    // Delayed apps by due time, so a tick looks only at what is due rather than at every delayed app (at 50 000
    // apps the scan cost ~0.3% of a core at rest). Entries are not removed when an app is queued sooner or its due
    // time moves: an entry counts only while it matches the app's current due time in `delayed`.
    private readonly PriorityQueue<string, DateTimeOffset> dueOrder = new();

    public int Depth
    {
        get { lock (gate) { return queued.Count; } }
    }

    public void Add(string app, Trigger trigger) => Add(app, new Queued(trigger, clock.GetUtcNow()));

    private void Add(string app, Queued item)
    {
        lock (gate)
        {
            delayed.Remove(app);
            if (processing.Contains(app))
            {
                dirty[app] = dirty.TryGetValue(app, out var pending) ? pending.Merge(item) : item;
                return;
            }

            if (queued.TryGetValue(app, out var existing))
            {
                queued[app] = existing.Merge(item);
                return;
            }

            queued[app] = item;
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
                dueOrder.Enqueue(app, due);
                DropStaleWhenMostly();
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
            due = [];
            while (dueOrder.TryPeek(out var app, out var at) && at <= now)
            {
                dueOrder.Dequeue();
                if (delayed.TryGetValue(app, out var current) && current.Due == at)
                {
                    delayed.Remove(app);
                    due.Add((app, current.Trigger));
                }
            }

            TrimWhenEmpty(delayed);
            if (dueOrder.Count == 0 && dueOrder.EnsureCapacity(0) > TrimAbove)
            {
                dueOrder.TrimExcess();
            }
        }

        foreach (var (app, trigger) in due)
        {
            Add(app, trigger);
        }
    }

    public async Task<(string App, Trigger Trigger, DateTimeOffset QueuedAt)> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var app = await ready.Reader.ReadAsync(cancellationToken);
            lock (gate)
            {
                if (queued.Remove(app, out var item))
                {
                    processing.Add(app);
                    TrimWhenEmpty(queued);
                    return (app, item.Trigger, item.At);
                }
            }
        }
    }

    /// <summary>Marks the app done; if it was triggered meanwhile it goes straight back to the queue.</summary>
    public void Done(string app)
    {
        Queued? again = null;
        lock (gate)
        {
            processing.Remove(app);
            if (dirty.Remove(app, out var item))
            {
                again = item;
                TrimWhenEmpty(dirty);
            }

            if (processing.Count == 0 && processing.EnsureCapacity(0) > TrimAbove)
            {
                processing.TrimExcess();
            }
        }

        if (again is { } pending)
        {
            Add(app, pending);
        }
    }

    // Apps queued before their due time leave entries behind; once those outnumber the live ones, rebuild the
    // heap from `delayed` so it stays within twice the number of delayed apps.
    private void DropStaleWhenMostly()
    {
        if (dueOrder.Count <= TrimAbove || dueOrder.Count <= 2 * delayed.Count)
        {
            return;
        }

        dueOrder.Clear();
        dueOrder.EnqueueRange(delayed.Select(d => (d.Key, d.Value.Due)));
    }

    // A burst (every app queued at once) grows the tables to the number of apps; they give that memory back once
    // drained instead of keeping it for the process's life.
    private static void TrimWhenEmpty<T>(Dictionary<string, T> table)
    {
        if (table.Count == 0 && table.EnsureCapacity(0) > TrimAbove)
        {
            table.TrimExcess();
        }
    }

    /// <summary>A queued app: the strongest cause so far and the latest time it was queued.</summary>
    private readonly record struct Queued(Trigger Trigger, DateTimeOffset At)
    {
        // A spec change or a user action outranks a timer, so history records the more telling cause.
        public Queued Merge(Queued later) =>
            new((Trigger)Math.Max((int)Trigger, (int)later.Trigger), later.At > At ? later.At : At);
    }
}
