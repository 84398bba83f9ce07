using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOps.Source;

/// <summary>Dependency-injection wiring for the source stage.</summary>
public static class SourceServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="GitSource"/> as <see cref="IGitSource"/>; an <see cref="ICredentialsSource"/>
    /// registered by the host (e.g. over Kubernetes Secrets) is used when present.
    /// </summary>
    public static IServiceCollection AddGitSource(this IServiceCollection services, GitSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(sp => new GitSource(options, sp.GetRequiredService<ILogger<GitSource>>(),
            sp.GetService<ICredentialsSource>(), sp.GetService<TimeProvider>()));
        services.AddSingleton<IGitSource>(sp => sp.GetRequiredService<GitSource>());
        return services;
    }

    /// <summary>Registers one <see cref="Charts.ChartSource"/> as <see cref="Charts.IChartSource"/> (Helm chart
    /// repositories and OCI registries).</summary>
    public static IServiceCollection AddChartSource(this IServiceCollection services, Charts.ChartSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(sp => new Charts.ChartSource(options, sp.GetRequiredService<ILogger<Charts.ChartSource>>()));
        services.AddSingleton<Charts.IChartSource>(sp => sp.GetRequiredService<Charts.ChartSource>());
        return services;
    }
}
