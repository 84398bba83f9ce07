using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Controller.Applications;
using GitOps.Controller.ApplicationSources;
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
/// Declares pipelines from Pipeline objects (CRD mode) in the applications' namespace: list, then watch from the
/// list's resourceVersion (the Application source's watch, <see cref="GitOpsObjects.WatchAsync"/>), list again on
/// 410 Gone or a failure (backing off up to 30 s). Only a new <c>metadata.generation</c> or a deletion redeclares
/// the set: the controller's own status patches come back as MODIFIED events and must not wake the pipelines again.
/// An invalid object is logged, gets the error in its status, and is not run.
/// </summary>
internal sealed class CrdPipelineSource(
    IKubernetes client,
    PipelineRegistry registry,
    PipelineObjects objects,
    IPipelineStateStore store,
    IOptions<ControllerOptions> controller,
    TimeProvider clock,
    ILogger<CrdPipelineSource> logger) : BackgroundService
{
    private readonly Dictionary<(string Namespace, string Name), JsonObject> items = [];

    private string Namespace => controller.Value.ApplicationsNamespace;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await GitOpsObjects.ListAndWatchAsync("Pipeline", ListAsync,
            (resourceVersion, ct) => GitOpsObjects.WatchAsync(client, Namespace, PipelineDocuments.Plural, resourceVersion,
                (type, obj) => OnEventAsync(type, obj, ct), logger, ct),
            _ => logger.LogDebug("The Pipeline CRD (pipelines.gitops.dev) is not installed: no pipelines"),
            logger, clock, stoppingToken);
    }

    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var list = await GitOpsObjects.ListAsync(client, Namespace, PipelineDocuments.Plural, cancellationToken);
        items.Clear();
        foreach (var item in (list?["items"]?.AsArray() ?? []).OfType<JsonObject>())
        {
            items[Key(item)] = item;
        }

        await DeclareAsync(cancellationToken);
        return (string?)list?["metadata"]?["resourceVersion"] ?? "";
    }

    private async Task OnEventAsync(string type, JsonObject obj, CancellationToken cancellationToken)
    {
        var key = Key(obj);
        if (type == "DELETED")
        {
            items.Remove(key);
        }
        else
        {
            var known = items.GetValueOrDefault(key);
            items[key] = obj;
            if (known is not null && (long?)known["metadata"]?["generation"] == (long?)obj["metadata"]?["generation"])
            {
                return; // a status update (ours)
            }
        }

        await DeclareAsync(cancellationToken);
    }

    /// <summary>Makes the registry match the known objects (the oldest object owns a name).</summary>
    private async Task DeclareAsync(CancellationToken cancellationToken)
    {
        var ordered = items.Values.OrderBy(o => (string?)o["metadata"]?["creationTimestamp"], StringComparer.Ordinal).ToList();
        objects.Replace(ordered.Select(o => ((string?)o["metadata"]?["namespace"] ?? "", (string?)o["metadata"]?["name"] ?? "",
            (string?)o["metadata"]?["uid"] ?? "")));
        var valid = new List<Pipeline>();
        foreach (var item in ordered)
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

        var next = valid.DistinctBy(p => p.Name).ToList();
        // Redeclare only what changed: an unchanged pipeline is not woken.
        if (next.Count != registry.All.Count || next.Any(p => registry.Find(p.Name) is not { } known || !SameSpec(known, p)))
        {
            registry.ReplaceAll(next);
        }
    }

    private static bool SameSpec(Pipeline a, Pipeline b) =>
        JsonSerializer.Serialize(a.Spec) == JsonSerializer.Serialize(b.Spec);

    private static (string, string) Key(JsonObject obj) =>
        ((string?)obj["metadata"]?["namespace"] ?? "", (string?)obj["metadata"]?["name"] ?? "");
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
