using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Controller.Applications;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Options;

namespace GitOps.Controller.ApplicationSources;

/// <summary>
/// Declares projects from Project objects (CRD mode) in the applications namespace. Projects change rarely, so a
/// list every <see cref="Period"/> is enough (no watch). A failed list keeps the previous set: a blip never
/// widens or narrows an app's boundary; without the Project CRD only the built-in default project exists.
/// </summary>
internal sealed class CrdProjectSource(
    IKubernetes client,
    ApplicationRegistry registry,
    IOptions<ControllerOptions> options,
    TimeProvider clock,
    ILogger<CrdProjectSource> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, clock);
        try
        {
            do
            {
                await ListAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var ns = options.Value.ApplicationsNamespace;
        try
        {
            var list = await GitOpsObjects.ListAsync(client, ns, Project.Plural, cancellationToken);
            var projects = new List<Project>();
            foreach (var item in (list?["items"]?.AsArray() ?? []).OfType<JsonObject>())
            {
                try
                {
                    projects.Add(Project.FromObject(item, $"Project {(string?)item["metadata"]?["namespace"]}/{(string?)item["metadata"]?["name"]}"));
                }
                catch (InvalidDataException e)
                {
                    // Its apps then name an undeclared project, which allows nothing.
                    logger.LogError("Ignoring an invalid Project: {Error}", e.Message);
                }
            }

            registry.ReplaceProjects(projects);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            logger.LogDebug("The Project CRD (projects.{Group}) is not installed: only the default project exists", ApplicationDocuments.Group);
            registry.ReplaceProjects([]);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException or JsonException)
        {
            logger.LogWarning("Listing Project objects failed, keeping the previous set: {Error}", e.Message);
        }
    }
}
