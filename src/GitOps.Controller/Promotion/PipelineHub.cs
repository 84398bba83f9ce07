using System.Collections.Concurrent;
using System.Threading.Channels;

namespace GitOps.Controller.Promotion;

/// <summary>Fans pipeline status changes out to watchers (the gRPC Watch stream); a slow watcher drops old
/// updates and never blocks the runner.</summary>
internal sealed class PipelineHub
{
    private readonly ConcurrentDictionary<Guid, (string? Pipeline, Channel<(string, PipelineStatus)> Channel)> watchers = new();

    public void Publish(string pipeline, PipelineStatus status)
    {
        foreach (var (_, (filter, channel)) in watchers)
        {
            if (filter is null || filter == pipeline)
            {
                channel.Writer.TryWrite((pipeline, status));
            }
        }
    }

    public ChannelReader<(string Pipeline, PipelineStatus Status)> Subscribe(string? pipeline, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<(string, PipelineStatus)>(new BoundedChannelOptions(32)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var id = Guid.NewGuid();
        watchers[id] = (pipeline, channel);
        cancellationToken.Register(() =>
        {
            watchers.TryRemove(id, out _);
            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }
}
