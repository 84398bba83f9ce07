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
            lastWrite = DeclarationsFile.LastWrite(path);
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

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.ApplicationsFile is { } path
            ? DeclarationsFile.FollowAsync(path, lastWrite, "Applications", () =>
            {
                Load(path);
                logger.LogInformation("Reloaded {Count} application(s) from {File}", registry.All.Count, path);
            }, clock, logger, stoppingToken)
            : Task.CompletedTask;
}
