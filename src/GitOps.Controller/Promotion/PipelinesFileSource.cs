using GitOps.Controller.ApplicationSources;

namespace GitOps.Controller.Promotion;

/// <summary>Declares pipelines from a local YAML file (--pipelines) and reloads it when it changes. A broken
/// file at start-up stops the controller with the file's error; a broken edit later is logged and the previous
/// set is kept.</summary>
internal sealed class PipelinesFileSource(
    PipelineRegistry registry,
    PromotionOptions options,
    TimeProvider clock,
    ILogger<PipelinesFileSource> logger) : BackgroundService
{
    private DateTime lastWrite;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.PipelinesFile is { } path)
        {
            lastWrite = DeclarationsFile.LastWrite(path);
            registry.ReplaceAll(PipelineDocuments.LoadFile(path));
            logger.LogInformation("Loaded {Count} pipeline(s) from {File}", registry.All.Count, path);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.PipelinesFile is { } path
            ? DeclarationsFile.FollowAsync(path, lastWrite, "Pipelines", () =>
            {
                registry.ReplaceAll(PipelineDocuments.LoadFile(path));
                logger.LogInformation("Reloaded {Count} pipeline(s) from {File}", registry.All.Count, path);
            }, clock, logger, stoppingToken)
            : Task.CompletedTask;
}

/// <summary>Promotion settings (configuration section "Promotion", or flags).</summary>
internal sealed record PromotionOptions
{
    /// <summary>Local pipelines file (--pipelines). Null: no file pipelines.</summary>
    public string? PipelinesFile { get; init; }

    /// <summary>How often every pipeline is evaluated besides when a stage's status changes.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Where the local store keeps pipeline status (the controller's --state-dir).</summary>
    public string StateDirectory { get; init; } = "";
}
