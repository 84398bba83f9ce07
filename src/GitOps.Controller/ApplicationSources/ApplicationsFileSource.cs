using GitOps.Controller.Applications;
using Microsoft.Extensions.Options;

namespace GitOps.Controller.ApplicationSources;

/// <summary>Declares applications from a local YAML file (no CRD needed) and reloads it when it changes.
/// A broken file at start-up stops the controller with the file's error; a broken edit later is logged and the
/// previous set is kept (nothing is removed because of a typo).</summary>
internal sealed class ApplicationsFileSource(
    ApplicationRegistry registry,
    IOptions<ControllerOptions> options,
    TimeProvider clock,
    ILogger<ApplicationsFileSource> logger) : BackgroundService
{
    private DateTime lastWrite;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ApplicationsFile is { } path)
        {
            lastWrite = File.GetLastWriteTimeUtc(path);
            Load(path);
            logger.LogInformation("Loaded {Count} application(s) from {File}", registry.All.Count, path);
        }

        return base.StartAsync(cancellationToken);
    }

    /// <summary>Projects first, so a reloaded app is never checked against its project's previous version.</summary>
    private void Load(string path)
    {
        var declared = ApplicationDocuments.LoadDeclarations(path);
        registry.ReplaceProjects(declared.Projects);
        registry.ReplaceAll(declared.Applications);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.ApplicationsFile is not { } path)
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
                    Load(path);
                    logger.LogInformation("Reloaded {Count} application(s) from {File}", registry.All.Count, path);
                }
                catch (Exception e) when (e is IOException or InvalidDataException)
                {
                    logger.LogError("Applications file {File} is invalid, keeping the previous set: {Error}", path, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
