using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GitOps.Controller.Applications;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace GitOps.Controller.State;

/// <summary>
/// Status and history in the Application's status subresource (CRD mode). Reads come from memory after the
/// first read of the object, so a restart picks up the stored history. Writes are JSON merge patches of
/// `/status` (nulls clear fields); a pass that changes nothing but `reconciledAt` is written at most once a
/// minute, so a steady state does not churn the object. Events are derived from the change.
/// </summary>
internal sealed class CrdStateStore(
    IKubernetes client,
    ApplicationLocator locator,
    IAppEvents events,
    RevisionPool revisions,
    TimeProvider clock,
    ILogger<CrdStateStore> logger) : IStateStore
{
    private static readonly JsonSerializerOptions Json = CreateJson();
    private readonly ConcurrentDictionary<string, AppStatus> cache = new();
    private readonly ConcurrentDictionary<string, (UInt128 Fingerprint, DateTimeOffset At)> persisted = new();

    public async Task<AppStatus> GetAsync(string app, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(app, out var cached))
        {
            return cached;
        }

        var status = new AppStatus();
        if (locator.Find(app) is { } target)
        {
            try
            {
                var obj = await client.CustomObjects.GetNamespacedCustomObjectAsync(ApplicationDocuments.Group,
                    ApplicationDocuments.Version, target.Namespace, ApplicationDocuments.Plural, target.Name,
                    cancellationToken);
                status = Parse(app, ToNode(obj)?["status"]) ?? status;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                // Deleted meanwhile: nothing to read back.
            }
        }

        return cache.GetOrAdd(app, status);
    }

    public async Task SaveAsync(string app, AppStatus status, CancellationToken cancellationToken)
    {
        var before = cache.GetValueOrDefault(app) ?? new AppStatus();
        cache[app] = status;
        if (locator.Find(app) is not { } target)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var recent = persisted.TryGetValue(app, out var last) && now - last.At < StatusWrites.ReconciledAtRefresh;
        if (recent && status.SameApartFromReconciledAt(before))
        {
            return; // the common steady-state pass: nothing to serialise
        }

        var node = Serialize(status);
        var fingerprint = Fingerprint(node);
        if (recent && last.Fingerprint == fingerprint)
        {
            return;
        }

        if (await PatchStatusAsync(target, node, cancellationToken))
        {
            persisted[app] = (fingerprint, now);
        }

        await events.RecordAsync(app, AppEventDetector.Detect(before, status), cancellationToken);
    }

    /// <summary>Forgets an app whose object was deleted (a new object of the same name starts fresh).</summary>
    public void Forget(string app)
    {
        cache.TryRemove(app, out _);
        persisted.TryRemove(app, out _);
    }

    /// <summary>Marks an object the controller does not manage (a name owned by another namespace) with an
    /// InvalidSpec condition, without touching any app's cached status.</summary>
    public async Task RejectAsync(ApplicationRef target, string message, CancellationToken cancellationToken)
    {
        var status = new AppStatus().WithCondition(ConditionTypes.InvalidSpec, message, clock);
        await PatchStatusAsync(target, Serialize(status), cancellationToken);
    }

    private async Task<bool> PatchStatusAsync(ApplicationRef target, JsonObject status, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["status"] = status }.ToJsonString();
        try
        {
            await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(body, V1Patch.PatchType.MergePatch),
                ApplicationDocuments.Group, ApplicationDocuments.Version, target.Namespace, ApplicationDocuments.Plural,
                target.Name, cancellationToken: cancellationToken);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            logger.LogDebug("Application {Namespace}/{App} is gone; status not written", target.Namespace, target.Name);
            return false;
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException)
        {
            // The cache keeps the status; the next pass writes it again.
            var detail = e is HttpOperationException h ? h.Response.Content : e.Message;
            logger.LogWarning("Application {Namespace}/{App}: writing status failed: {Error}", target.Namespace, target.Name, detail);
            return false;
        }
    }

    private AppStatus? Parse(string app, JsonNode? status)
    {
        if (status is not JsonObject obj)
        {
            return null;
        }

        try
        {
            return obj.Deserialize<AppStatus>(Json) is { } stored ? revisions.Share(stored) : null;
        }
        catch (JsonException e)
        {
            logger.LogWarning("Application {App}: stored status is unreadable, starting afresh: {Error}", app, e.Message);
            return null;
        }
    }

    internal static JsonObject Serialize(AppStatus status)
    {
        var node = JsonSerializer.SerializeToNode(status, Json)!.AsObject();
        // Internal retry bookkeeping and computed properties are not part of the published status.
        node.Remove("failures");
        node.Remove("nextHistoryId");
        foreach (var resource in node["resources"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            resource.Remove("key");
        }

        return node;
    }

    /// <summary>What was written apart from reconciledAt, as a 128-bit hash: one is kept per app, and the text would
    /// be a second copy of every app's whole status.</summary>
    private static UInt128 Fingerprint(JsonObject status)
    {
        var copy = status.DeepClone().AsObject();
        copy.Remove("reconciledAt");
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(copy), digest);
        return BinaryPrimitives.ReadUInt128LittleEndian(digest);
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        JsonNode node => node,
        _ => JsonSerializer.SerializeToNode(value),
    };

    private static JsonSerializerOptions CreateJson()
    {
        // Nulls are written on purpose: in a merge patch they clear a field that no longer applies.
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
