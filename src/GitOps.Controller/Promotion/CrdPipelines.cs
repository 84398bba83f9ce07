using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Controller.Applications;
using GitOps.Controller.State;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace GitOps.Controller.Promotion;

/// <summary>Which Pipeline object declares a pipeline name (CRD mode).</summary>
internal sealed class PipelineObjects
{
    private readonly ConcurrentDictionary<string, (string Namespace, string Uid)> objects = new();

    public string? NamespaceOf(string pipeline) => objects.TryGetValue(pipeline, out var o) ? o.Namespace : null;

    /// <summary>The object as an Event's involvedObject.</summary>
    public V1ObjectReference? ReferenceOf(string pipeline) => objects.TryGetValue(pipeline, out var o)
        ? new V1ObjectReference
        {
            ApiVersion = ApplicationDocuments.ApiVersion, Kind = PipelineDocuments.Kind, Name = pipeline, NamespaceProperty = o.Namespace, Uid = o.Uid,
        }
        : null;

    public void Replace(IEnumerable<(string Namespace, string Name, string Uid)> declared)
    {
        var next = declared.GroupBy(o => o.Name).ToDictionary(g => g.Key, g => (g.First().Namespace, g.First().Uid));
        foreach (var gone in objects.Keys.Except(next.Keys).ToList())
        {
            objects.TryRemove(gone, out _);
        }

        foreach (var (name, o) in next)
        {
            objects[name] = o;
        }
    }
}

/// <summary>
/// Declares pipelines from Pipeline objects (CRD mode) in the applications' namespace, listed on the promotion
/// interval: pipelines change rarely and a promotion does not wait for a declaration, so a list is enough where
/// applications need a watch. An invalid object is logged, gets the error in its status, and is not run.
/// </summary>
internal sealed class CrdPipelineSource(
    IKubernetes client,
    PipelineRegistry registry,
    PipelineObjects objects,
    IPipelineStateStore store,
    IOptions<ControllerOptions> controller,
    PromotionOptions options,
    TimeProvider clock,
    ILogger<CrdPipelineSource> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ns = controller.Value.ApplicationsNamespace;
        using var timer = new PeriodicTimer(options.Interval, clock);
        do
        {
            try
            {
                await ListAsync(ns, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                logger.LogDebug("The Pipeline CRD (pipelines.gitops.dev) is not installed: no pipelines");
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException or JsonException)
            {
                logger.LogWarning("Listing Pipeline objects failed, retrying: {Error}", e.Message);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task ListAsync(string ns, CancellationToken cancellationToken)
    {
        var result = ns.Length == 0
            ? await client.CustomObjects.ListClusterCustomObjectAsync(ApplicationDocuments.Group, ApplicationDocuments.Version,
                PipelineDocuments.Plural, cancellationToken: cancellationToken)
            : await client.CustomObjects.ListNamespacedCustomObjectAsync(ApplicationDocuments.Group, ApplicationDocuments.Version,
                ns, PipelineDocuments.Plural, cancellationToken: cancellationToken);
        var items = (JsonNode.Parse(((JsonElement)result).GetRawText())?["items"]?.AsArray() ?? []).OfType<JsonObject>()
            .OrderBy(o => (string?)o["metadata"]?["creationTimestamp"], StringComparer.Ordinal).ToList();
        objects.Replace(items.Select(o => ((string?)o["metadata"]?["namespace"] ?? "", (string?)o["metadata"]?["name"] ?? "",
            (string?)o["metadata"]?["uid"] ?? "")));
        var valid = new List<Pipeline>();
        foreach (var item in items)
        {
            var name = (string?)item["metadata"]?["name"] ?? "";
            try
            {
                valid.Add(PipelineDocuments.FromObject(item, $"Pipeline {item["metadata"]?["namespace"]}/{name}"));
            }
            catch (InvalidDataException e)
            {
                logger.LogError("{Error}: not run", e.Message);
                var status = await store.GetAsync(name, cancellationToken);
                if (status.Error != e.Message)
                {
                    await store.SaveAsync(name, status with { Error = e.Message }, cancellationToken);
                }
            }
        }

        registry.ReplaceAll(valid.DistinctBy(p => p.Name));
    }
}

/// <summary>Pipeline status in the Pipeline object's status subresource (CRD mode): read back once after a
/// restart, then served from memory; each change is a JSON merge patch of `/status` (nulls clear fields), and the
/// transitions it makes are recorded as Kubernetes Events on the object (<see cref="PipelineEventDetector"/>).</summary>
internal sealed class CrdPipelineStateStore(IKubernetes client, PipelineObjects objects, KubernetesEvents events,
    ILogger<CrdPipelineStateStore> logger) : IPipelineStateStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, PipelineStatus> cache = new();

    public async Task<PipelineStatus> GetAsync(string pipeline, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(pipeline, out var cached))
        {
            return cached;
        }

        var status = new PipelineStatus();
        if (objects.NamespaceOf(pipeline) is { } ns)
        {
            try
            {
                var obj = await client.CustomObjects.GetNamespacedCustomObjectAsync(ApplicationDocuments.Group,
                    ApplicationDocuments.Version, ns, PipelineDocuments.Plural, pipeline, cancellationToken);
                if (JsonNode.Parse(((JsonElement)obj).GetRawText())?["status"] is JsonObject stored)
                {
                    status = stored.Deserialize<PipelineStatus>(Json) ?? status;
                }
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
            }
            catch (JsonException e)
            {
                logger.LogWarning("Pipeline {Pipeline}: stored status unreadable, starting afresh: {Error}", pipeline, e.Message);
            }
        }

        return cache.GetOrAdd(pipeline, status);
    }

    public async Task SaveAsync(string pipeline, PipelineStatus status, CancellationToken cancellationToken)
    {
        var before = await GetAsync(pipeline, cancellationToken);
        cache[pipeline] = status;
        if (objects.NamespaceOf(pipeline) is not { } ns)
        {
            return;
        }

        var patch = new JsonObject { ["status"] = JsonSerializer.SerializeToNode(status, Json) };
        try
        {
            await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
                ApplicationDocuments.Group, ApplicationDocuments.Version, ns, PipelineDocuments.Plural, pipeline,
                cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return; // deleted meanwhile
        }

        if (objects.ReferenceOf(pipeline) is { } involved)
        {
            foreach (var e in PipelineEventDetector.Detect(before, status))
            {
                await events.WriteAsync(involved, e, cancellationToken);
            }
        }
    }
}
