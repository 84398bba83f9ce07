using Microsoft.Extensions.Options;

namespace GitOps.Controller.HighAvailability;

/// <summary>
/// --shards M (with --leader-elect): runs <see cref="ShardCoordinator"/>'s rounds every RetryPeriod. A clean stop
/// hands the held shards over; a crash (or a host disposed without stopping) leaves them to expire.
/// </summary>
internal sealed class DynamicShardService(
    ShardCoordinator coordinator,
    Leadership leadership,
    IOptions<ControllerOptions> options,
    TimeProvider clock,
    ILogger<DynamicShardService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        logger.LogInformation("Shards: {Identity} is a candidate for {Count} shard Lease(s) {Lease}-shard-N-of-{Count}",
            leadership.Identity, settings.Shards, settings.LeaseName, settings.Shards);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await coordinator.TickAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("Shards: round failed, retrying: {Error}", e.Message);
            }

            try
            {
                await Task.Delay(settings.RetryPeriod, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await coordinator.ReleaseAllAsync(cancellationToken);
    }
}
