namespace GitOps.Controller.Reconcile;

/// <summary>
/// Mutual exclusion per name (an app's passes, a pipeline's steps) that holds memory only while a name is in use:
/// a semaphore per name kept for the process's life cost ~200 bytes for each of tens of thousands of idle apps.
/// </summary>
internal sealed class KeyedLock
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Entry> held = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="action"/> while no other action for <paramref name="name"/> runs.</summary>
    public async Task<T> RunAsync<T>(string name, CancellationToken cancellationToken, Func<Task<T>> action)
    {
        Entry entry;
        lock (gate)
        {
            if (!held.TryGetValue(name, out entry!))
            {
                entry = new Entry();
                held[name] = entry;
            }

            entry.Users++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken);
            try
            {
                return await action();
            }
            finally
            {
                entry.Semaphore.Release();
            }
        }
        finally
        {
            lock (gate)
            {
                if (--entry.Users == 0)
                {
                    held.Remove(name);
                    entry.Semaphore.Dispose();
                }
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
