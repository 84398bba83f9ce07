using System.Collections.Concurrent;
using System.Threading.Channels;

namespace GitOps.Controller.State;

/// <summary>Fans status changes out to watchers (the gRPC Watch stream). A slow watcher drops old updates,
/// never blocks the controller.</summary>
internal sealed class StatusHub
{
    private readonly ConcurrentDictionary<Guid, (string? App, Channel<(string App, AppStatus Status)> Channel)> watchers = new();

    public void Publish(string app, AppStatus status)
    {
        foreach (var (_, (filter, channel)) in watchers)
        {
            if (filter is null || filter == app)
            {
                channel.Writer.TryWrite((app, status));
            }
        }
    }

    /// <summary>Subscribes to one app (or all when <paramref name="app"/> is null) until the token fires.</summary>
    public ChannelReader<(string App, AppStatus Status)> Subscribe(string? app, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<(string, AppStatus)>(new BoundedChannelOptions(64)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var id = Guid.NewGuid();
        watchers[id] = (app, channel);
        cancellationToken.Register(() =>
        {
            watchers.TryRemove(id, out _);
            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }
}
