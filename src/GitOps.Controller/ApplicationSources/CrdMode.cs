using GitOps.Controller.Applications;
using GitOps.Controller.State;

namespace GitOps.Controller.ApplicationSources;

/// <summary>CRD mode: applications from Application objects, status and history in their status subresource,
/// Kubernetes Events on them; projects from Project objects. Used when no local applications file is configured.</summary>
internal static class CrdMode
{
    public static IServiceCollection AddCrdApplications(this IServiceCollection services)
    {
        services.AddSingleton<ApplicationLocator>();
        services.AddSingleton<KubernetesEvents>();
        services.AddSingleton<IAppEvents, KubernetesAppEvents>();
        services.AddSingleton<CrdStateStore>();
        services.AddSingleton<IStateStore>(sp => sp.GetRequiredService<CrdStateStore>());
        services.AddHostedService<CrdApplicationSource>();
        services.AddHostedService<CrdProjectSource>();
        return services;
    }
}
