using GitOps.Controller.Reconcile;
using Grpc.AspNetCore.Server;
using k8s;
using Microsoft.Extensions.Options;

namespace GitOps.Controller.HighAvailability;

internal static class HighAvailabilityServices
{
    /// <summary>Leadership (always leader without --leader-elect), sharding (static --shard N/M or dynamic --shards
    /// M), and the leader-scoped sync loop and drift watcher. Register the election before the work: hosted
    /// services stop in reverse order, so the work finishes before the Leases are handed over.</summary>
    public static IServiceCollection AddLeaderScopedControllerWork(this IServiceCollection services, ControllerOptions settings)
    {
        Validate(settings);
        services.AddSingleton(sp => new Leadership(sp.GetRequiredService<IOptions<ControllerOptions>>().Value));
        services.AddSingleton(sp => new ShardFilter(sp.GetRequiredService<IOptions<ControllerOptions>>().Value));
        services.AddSingleton(sp => new ShardOwnership(sp.GetRequiredService<IOptions<ControllerOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IReplicaScope, ReplicaScope>();
        if (settings is { LeaderElect: true, Shards: > 0 })
        {
            services.AddSingleton(sp =>
            {
                var options = sp.GetRequiredService<IOptions<ControllerOptions>>().Value;
                var store = new KubernetesLeaseStore(sp.GetRequiredService<IKubernetes>(),
                    LeaderElectionService.NamespaceOf(options), options.LeaseName);
                return ActivatorUtilities.CreateInstance<ShardCoordinator>(sp, store, options);
            });
            services.AddHostedService<DynamicShardService>();
        }
        else if (settings.LeaderElect)
        {
            services.AddHostedService<LeaderElectionService>();
        }

        services.AddHostedService<LeaderScopedWork>();
        services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<LeaderOnlyInterceptor>());
        return services;
    }

    /// <summary>Whether this replica drives promotion pipelines: the leader, or under dynamic sharding the holder
    /// of shard 0 (exactly one replica, and it moves with the shard).</summary>
    public static Func<bool> DrivesPipelines(IServiceProvider services)
    {
        var leadership = services.GetRequiredService<Leadership>();
        var shards = services.GetRequiredService<ShardOwnership>();
        return () => shards.Enabled ? shards.Holds(0) : leadership.IsLeader;
    }

    private static void Validate(ControllerOptions settings)
    {
        if (settings.Shards == 0)
        {
            return;
        }

        if (settings.Shards < 0 || !settings.LeaderElect || settings.Shard is { Length: > 0 })
        {
            throw new InvalidOperationException(
                $"invalid --shards {settings.Shards}: it needs --leader-elect, a shard count of at least 1, and no --shard N/M");
        }

        if (settings.RenewDeadline >= settings.LeaseDuration)
        {
            throw new InvalidOperationException("with --shards the renew deadline must be shorter than the Lease duration");
        }
    }
}
