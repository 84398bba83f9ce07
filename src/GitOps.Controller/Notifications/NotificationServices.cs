namespace GitOps.Controller.Notifications;

/// <summary>Registration of notifications (`--notifications FILE`).</summary>
internal static class NotificationServices
{
    /// <summary>Loads and validates the file now, so a bad config stops the start with a clear error.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, string file)
    {
        var config = NotificationsConfig.Load(file);
        services.AddSingleton(config);
        services.AddSingleton(new MessageTemplates(config, file));
        services.AddSingleton(sp => new NotificationSender(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan },
            config, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<NotificationSender>>()));
        services.AddSingleton<NotificationService>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationService>());
        // Pipelines (Promotion/PipelineRunner) report their events through this port.
        services.AddSingleton<IPipelineNotifier>(sp => sp.GetRequiredService<NotificationService>());
        return services;
    }
}
