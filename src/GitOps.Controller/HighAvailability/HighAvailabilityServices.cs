using GitOps.Controller.Reconcile;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Options;

namespace GitOps.Controller.HighAvailability;

internal static class HighAvailabilityServices
{
    /// <summary>Leadership (always leader without --leader-elect), sharding, and the leader-scoped sync loop and
    /// drift watcher. Register the election before the work: hosted services stop in reverse order, so the work
    /// finishes before the Lease is handed over.</summary>
    public static IServiceCollection AddLeaderScopedControllerWork(this IServiceCollection services, ControllerOptions settings)
    {
        services.AddSingleton(sp => new Leadership(sp.GetRequiredService<IOptions<ControllerOptions>>().Value));
        services.AddSingleton(sp => new ShardFilter(sp.GetRequiredService<IOptions<ControllerOptions>>().Value));
        services.AddSingleton<IReplicaScope, ReplicaScope>();
        if (settings.LeaderElect)
        {
            services.AddHostedService<LeaderElectionService>();
        }

        services.AddHostedService<LeaderScopedWork>();
        services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<LeaderOnlyInterceptor>());
        return services;
    }
}
