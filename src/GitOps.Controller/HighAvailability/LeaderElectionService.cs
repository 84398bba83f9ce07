using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Options;

namespace GitOps.Controller.HighAvailability;

/// <summary>
/// Campaigns for the coordination.k8s.io/v1 Lease (KubernetesClient's LeaderElector + LeaseLock) and moves
/// <see cref="Leadership"/>. Leadership lost → the work stops at once; a clean stop while leading hands the
/// Lease over (its duration cut to 1 s) so a follower takes over without waiting for it to expire.
/// </summary>
internal sealed class LeaderElectionService(
    Leadership leadership,
    ShardFilter shard,
    IKubernetes client,
    IOptions<ControllerOptions> options,
    TimeProvider clock,
    ILogger<LeaderElectionService> logger) : BackgroundService
{
    public const string DefaultLeaseName = "gitops-controller";

    private const string InClusterNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    /// <summary>With sharding, each shard elects its own leader.</summary>
    public string LeaseName => shard.Enabled
        ? $"{options.Value.LeaseName}-shard-{shard.Index}-of-{shard.Count}"
        : options.Value.LeaseName;

    public string LeaseNamespace => NamespaceOf(options.Value);

    /// <summary>--lease-namespace, else the pod's namespace in-cluster, else "default".</summary>
    public static string NamespaceOf(ControllerOptions settings) => settings.LeaseNamespace is { Length: > 0 } ns
        ? ns
        : File.Exists(InClusterNamespaceFile) ? File.ReadAllText(InClusterNamespaceFile).Trim() : "default";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var (name, ns) = (LeaseName, LeaseNamespace);
        var config = new LeaderElectionConfig(new LeaseLock(client, ns, name, leadership.Identity))
        {
            LeaseDuration = settings.LeaseDuration,
            RenewDeadline = settings.RenewDeadline,
            RetryPeriod = settings.RetryPeriod,
        };
        logger.LogInformation("Leader election: candidate {Identity} for Lease {Namespace}/{Lease}", leadership.Identity, ns, name);
        using var elector = new LeaderElector(config);
        elector.OnStartedLeading += () =>
        {
            logger.LogInformation("Leader election: {Identity} is now the leader", leadership.Identity);
            leadership.Set(true);
        };
        elector.OnStoppedLeading += () =>
        {
            if (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Leader election: {Identity} lost the leadership; work stopped", leadership.Identity);
            }

            leadership.Set(false);
        };
        elector.OnNewLeader += holder => leadership.Observe(holder);
        elector.OnError += e => logger.LogWarning("Leader election: {Error}", e.Message);

        _ = ObserveAsync(elector, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Returns after one loss; campaign again.
                await elector.RunUntilLeadershipLostAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning("Leader election failed, retrying: {Error}", e.Message);
                await DelayQuietlyAsync(settings.RetryPeriod, stoppingToken);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        var wasLeader = leadership.IsLeader;
        await base.StopAsync(cancellationToken);
        leadership.Set(false);
        if (wasLeader)
        {
            await ReleaseAsync(cancellationToken);
        }
    }

    /// <summary>A follower learns the holder only when it campaigns; poll it so /readyz and logs can say who leads.</summary>
    private async Task ObserveAsync(LeaderElector elector, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (elector.GetLeader() is { } holder)
            {
                leadership.Observe(holder);
            }

            await DelayQuietlyAsync(options.Value.RetryPeriod, stoppingToken);
        }
    }

    /// <summary>Keeps the holder but cuts the duration to 1 s: LeaderElector treats a Lease without a holder as
    /// absent and tries to create it (which fails), so an emptied holder would block the followers.</summary>
    private async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, LeaseNamespace, cancellationToken: cancellationToken);
            if (lease.Spec?.HolderIdentity != leadership.Identity)
            {
                return;
            }

            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = clock.GetUtcNow().UtcDateTime;
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, LeaseName, LeaseNamespace, cancellationToken: cancellationToken);
            logger.LogInformation("Leader election: {Identity} released the Lease", leadership.Identity);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Leader election: could not release the Lease (it expires by itself): {Error}", e.Message);
        }
    }

    private async Task DelayQuietlyAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, clock, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
