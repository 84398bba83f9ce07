using GitOps.Controller.Reconcile;
using GitOps.Controller.State;

namespace GitOps.Controller.Observability;

internal static class ObservabilityServices
{
    /// <summary>Adds the metrics and wraps the source, cluster and state-store registrations made before this
    /// call with metering decorators (call it after those registrations).</summary>
    public static IServiceCollection AddControllerMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<ControllerMetrics>();
        services.AddSingleton<IReconcileMetrics>(sp => sp.GetRequiredService<ControllerMetrics>());
        services.AddSingleton<PrometheusExporter>();
        Decorate<ISourceGateway>(services, (sp, inner) => new MeteredSourceGateway(inner, sp.GetRequiredService<ControllerMetrics>()));
        Decorate<IClusterGateway>(services, (sp, inner) => new MeteredClusterGateway(inner, sp.GetRequiredService<ControllerMetrics>()));
        Decorate<IStateStore>(services, (sp, inner) => new MeteredStateStore(inner, sp.GetRequiredService<ControllerMetrics>()));
        return services;
    }

    /// <summary>GET /metrics in the Prometheus text format.</summary>
    public static IEndpointRouteBuilder MapControllerMetrics(this IEndpointRouteBuilder endpoints, string pattern = "/metrics")
    {
        // Created now, not at the first scrape: its listener must see the measurements made before it.
        var exporter = endpoints.ServiceProvider.GetRequiredService<PrometheusExporter>();
        endpoints.MapGet(pattern, () => Results.Text(exporter.Scrape(), exporter.ContentType));
        return endpoints;
    }

    private static void Decorate<T>(IServiceCollection services, Func<IServiceProvider, T, T> wrap)
        where T : class
    {
        var descriptor = services.LastOrDefault(d => d.ServiceType == typeof(T) && !d.IsKeyedService);
        if (descriptor is null)
        {
            return;
        }

        services.Remove(descriptor);
        services.Add(ServiceDescriptor.Describe(typeof(T), sp => wrap(sp, (T)Create(sp, descriptor)), descriptor.Lifetime));
    }

    private static object Create(IServiceProvider sp, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(sp)
        ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!);
}
