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
            lastWrite = File.GetLastWriteTimeUtc(path);
            registry.ReplaceAll(PipelineDocuments.LoadFile(path));
            logger.LogInformation("Loaded {Count} pipeline(s) from {File}", registry.All.Count, path);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.PipelinesFile is not { } path)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var write = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
                if (write == lastWrite)
                {
                    continue;
                }

                lastWrite = write;
                try
                {
                    registry.ReplaceAll(PipelineDocuments.LoadFile(path));
                    logger.LogInformation("Reloaded {Count} pipeline(s) from {File}", registry.All.Count, path);
                }
                catch (Exception e) when (e is IOException or InvalidDataException)
                {
                    logger.LogError("Pipelines file {File} is invalid, keeping the previous set: {Error}", path, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
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
