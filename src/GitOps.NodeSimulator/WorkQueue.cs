using System.Threading.Channels;

namespace GitOps.NodeSimulator;

/// <summary>Keys of Pods to reconcile, each queued at most once; a key added while it is being handled is
/// handled again afterwards (it is removed from the pending set when taken).</summary>
internal sealed class WorkQueue(TimeProvider time)
{
    private readonly Channel<string> channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> pending = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public void Add(string key)
    {
        lock (gate)
        {
            if (!pending.Add(key))
            {
                return;
            }
        }

        channel.Writer.TryWrite(key);
    }

    /// <summary>Adds the key once <paramref name="delay"/> has passed on the injected clock.</summary>
    public void AddAfter(string key, TimeSpan delay, CancellationToken ct)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        _ = Task.Delay(delay, time, ct).ContinueWith(_ => Add(key), CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    public async ValueTask<string> TakeAsync(CancellationToken ct)
    {
        var key = await channel.Reader.ReadAsync(ct).ConfigureAwait(false);
        lock (gate)
        {
            pending.Remove(key);
        }

        return key;
    }
}
