using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Options;

namespace GitOps.Controller.Hosting;

internal static class HighAvailabilityServices
{
    /// <summary>Leadership (always leader without --leader-elect), sharding, and the leader-scoped sync loop and
    /// drift watcher. Register the election before the work: hosted services stop in reverse order, so the work
    /// finishes before the Lease is handed over.</summary>
    public static IServiceCollection AddLeaderScopedControllerWork(this IServiceCollection services, ControllerOptions settings)
    {
        services.AddSingleton(sp => new Leadership(sp.GetRequiredService<IOptions<ControllerOptions>>().Value));
        services.AddSingleton(sp => new ShardFilter(sp.GetRequiredService<IOptions<ControllerOptions>>().Value));
        if (settings.LeaderElect)
        {
            services.AddHostedService<LeaderElectionService>();
        }

        services.AddHostedService<LeaderScopedWork>();
        services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<LeaderOnlyInterceptor>());
        return services;
    }

    /// <summary>Lets boolean flags stand alone ("--leader-elect" → "--leader-elect=true"): the configuration
    /// command line otherwise takes the next argument as their value.</summary>
    public static string[] NormalizeFlags(string[] args, params string[] booleanFlags)
    {
        var result = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            var next = i + 1 < args.Length ? args[i + 1] : null;
            var standalone = booleanFlags.Contains(args[i], StringComparer.Ordinal)
                             && !(next is not null && bool.TryParse(next, out _));
            result.Add(standalone ? args[i] + "=true" : args[i]);
        }

        return [.. result];
    }
}
