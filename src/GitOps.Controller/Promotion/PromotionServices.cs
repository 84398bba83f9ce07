using Microsoft.Extensions.Options;

namespace GitOps.Controller.Promotion;

/// <summary>Registration of promotion pipelines: the declared set (--pipelines), their persisted status, the
/// ports over git and Kubernetes, the loop (active only while <paramref name="active"/> says so — the leader),
/// and the gRPC service.</summary>
internal static class PromotionServices
{
    public static IServiceCollection AddPromotion(this IServiceCollection services, IConfiguration configuration,
        Func<IServiceProvider, Func<bool>> active)
    {
        services.AddSingleton(sp =>
        {
            var controller = sp.GetRequiredService<IOptions<ControllerOptions>>().Value;
            return (configuration.GetSection("Promotion").Get<PromotionOptions>() ?? new PromotionOptions()) with
            {
                StateDirectory = controller.StateDirectory,
            };
        });
        services.AddSingleton<PipelineRegistry>();
        services.AddSingleton<PipelineHub>();
        // The --pipelines file (status in --state-dir), else in CRD mode Pipeline objects (status in their status).
        var file = configuration["Promotion:PipelinesFile"] is { Length: > 0 };
        var crd = !file && configuration["Controller:ApplicationsFile"] is not { Length: > 0 };
        if (crd)
        {
            services.AddSingleton<PipelineObjects>();
            services.AddSingleton<IPipelineStateStore, CrdPipelineStateStore>();
            services.AddHostedService<CrdPipelineSource>();
        }
        else
        {
            services.AddSingleton<IPipelineStateStore>(sp => new LocalPipelineStateStore(sp.GetRequiredService<PromotionOptions>().StateDirectory));
        }

        services.AddSingleton<IPromotionGit, GitPromotionSource>();
        services.AddSingleton<IVerificationJobs, KubernetesVerificationJobs>();
        services.AddSingleton<IPromotionScope>(sp => new PromotionScope(active(sp)));
        services.AddSingleton<PipelineRunner>();
        services.AddHostedService<PipelinesFileSource>();
        services.AddHostedService<PipelineLoop>();
        return services;
    }

    public static WebApplication MapPromotion(this WebApplication app)
    {
        app.MapGrpcService<PipelineGrpcService>();
        return app;
    }
}
