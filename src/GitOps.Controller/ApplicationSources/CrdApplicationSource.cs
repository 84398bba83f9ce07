using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Engine;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Options;

namespace GitOps.Controller.ApplicationSources;

/// <summary>
/// Declares applications from Application objects (CRD mode): list, then watch from the list's
/// resourceVersion with a server-side timeout (watches can hang silently otherwise), resume from the last
/// resourceVersion seen, and list again on 410 Gone. App name = metadata.name; across namespaces the oldest
/// object owns a name and a later duplicate is marked InvalidSpec. An object that cannot be read is marked
/// InvalidSpec and stops being managed (nothing is deleted from the cluster); it never stops the watch.
/// </summary>
internal sealed class CrdApplicationSource(
    IKubernetes client,
    ApplicationRegistry registry,
    ApplicationLocator locator,
    WorkQueue queue,
    CrdStateStore store,
    IOptions<ControllerOptions> options,
    TimeProvider clock,
    ILogger<CrdApplicationSource> logger) : BackgroundService
{
    // The refresh annotation's last value per app: a new value queues the app.
    private readonly Dictionary<string, string?> refreshSeen = new();

    private string Namespace => options.Value.ApplicationsNamespace;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var where = Namespace.Length == 0 ? "all namespaces" : $"namespace {Namespace}";
        logger.LogInformation("Watching Application objects ({Group}) in {Where}", ApplicationDocuments.Group, where);
        await GitOpsObjects.ListAndWatchAsync("Application", ListAsync, WatchAsync,
            delay => logger.LogError("The Application CRD ({Plural}.{Group}) is not installed: apply manifests/crd.yaml; retrying in {Delay}",
                ApplicationDocuments.Plural, ApplicationDocuments.Group, delay),
            logger, clock, stoppingToken);
    }

    /// <summary>Lists every Application, makes the registry match it, returns the list's resourceVersion.</summary>
    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var list = await GitOpsObjects.ListAsync(client, Namespace, ApplicationDocuments.Plural, cancellationToken);
        var items = (list?["items"]?.AsArray() ?? []).OfType<JsonObject>()
            .OrderBy(o => (string?)o["metadata"]?["creationTimestamp"], StringComparer.Ordinal)
            .ThenBy(o => (string?)o["metadata"]?["namespace"], StringComparer.Ordinal)
            .ToList();

        // Objects deleted while we were not watching.
        var present = items.Select(o => ((string?)o["metadata"]?["namespace"], (string?)o["metadata"]?["name"])).ToHashSet();
        foreach (var gone in locator.All.Where(r => !present.Contains((r.Namespace, r.Name))))
        {
            Delete(gone.Namespace, gone.Name);
        }

        foreach (var item in items)
        {
            await AcceptAsync(item, cancellationToken);
        }

        registry.MarkLoaded();
        logger.LogInformation("Listed {Count} Application object(s); {Managed} managed", items.Count, registry.All.Count);
        return (string?)list?["metadata"]?["resourceVersion"] ?? "";
    }

    /// <summary>Follows changes until the server ends the watch; returns the resourceVersion to resume from, or
    /// null when the history is gone (410) and a list is needed.</summary>
    private Task<string?> WatchAsync(string resourceVersion, CancellationToken cancellationToken) =>
        GitOpsObjects.WatchAsync(client, Namespace, ApplicationDocuments.Plural, resourceVersion, async (type, obj) =>
        {
            if (type == "DELETED")
            {
                Delete((string?)obj["metadata"]?["namespace"] ?? "", (string?)obj["metadata"]?["name"] ?? "");
            }
            else
            {
                await AcceptAsync(obj, cancellationToken);
            }
        }, logger, cancellationToken);

    private async Task AcceptAsync(JsonObject obj, CancellationToken cancellationToken)
    {
        var ns = (string?)obj["metadata"]?["namespace"] ?? "";
        var name = (string?)obj["metadata"]?["name"] ?? "";
        var reference = new ApplicationRef(ns, name, (string?)obj["metadata"]?["uid"] ?? "");
        if (!locator.TryClaim(reference))
        {
            var owner = locator.Find(name);
            var message = $"application name '{name}' is already used by the Application in namespace '{owner?.Namespace}'; names must be unique across watched namespaces";
            logger.LogWarning("Application {Namespace}/{App} ignored: {Reason}", ns, name, message);
            await store.RejectAsync(reference, message, cancellationToken);
            return;
        }

        Application app;
        try
        {
            app = ApplicationDocuments.FromObject(obj, $"Application {ns}/{name}");
        }
        catch (InvalidDataException e)
        {
            // Stop managing it (nothing is deleted) and say why on the object itself.
            logger.LogError("Application {Namespace}/{App} is invalid and not managed: {Error}", ns, name, e.Message);
            registry.Remove(name);
            var status = await store.GetAsync(name, cancellationToken);
            await store.SaveAsync(name, status.WithCondition(ConditionTypes.InvalidSpec, e.Message, clock) with
            {
                Sync = SyncState.Unknown,
            }, cancellationToken);
            return;
        }

        registry.Upsert(app);
        var refresh = (string?)obj["metadata"]?["annotations"]?[ApplicationDocuments.RefreshAnnotation];
        if (refreshSeen.TryGetValue(name, out var seen) && seen != refresh && refresh is not null)
        {
            logger.LogInformation("Application {App}: refresh requested ({Annotation}={Value})", name,
                ApplicationDocuments.RefreshAnnotation, refresh);
            queue.Add(name, Trigger.Webhook);
        }

        refreshSeen[name] = refresh;
    }

    private void Delete(string ns, string name)
    {
        if (locator.Release(ns, name))
        {
            registry.Remove(name);
            store.Forget(name);
            refreshSeen.Remove(name);
            logger.LogInformation("Application {Namespace}/{App} deleted: no longer managed (its objects stay)", ns, name);
        }
    }
}

/// <summary>List and watch calls for gitops.dev objects (Applications, Projects, Pipelines) in a namespace, or in all
/// of them when it is empty, as JSON trees.</summary>
internal static class GitOpsObjects
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>Keeps a view of one kind current until stopped: <paramref name="list"/> (returns the list's
    /// resourceVersion), then <paramref name="watch"/> from it, resumed from where it ended; listed again after 410
    /// Gone or a failure, backing off from 0.5 s to 30 s. A missing CRD calls <paramref name="notInstalled"/> with
    /// the delay before the next try.</summary>
    public static async Task ListAndWatchAsync(string kind, Func<CancellationToken, Task<string>> list,
        Func<string, CancellationToken, Task<string?>> watch, Action<TimeSpan> notInstalled, ILogger logger, TimeProvider clock,
        CancellationToken stoppingToken)
    {
        string? resourceVersion = null;
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                resourceVersion ??= await list(stoppingToken);
                resourceVersion = await watch(resourceVersion, stoppingToken);
                delay = TimeSpan.FromMilliseconds(500);
                continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                notInstalled(delay);
                resourceVersion = null;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException or JsonException)
            {
                var detail = e is HttpOperationException h ? $"{(int)h.Response.StatusCode} {h.Response.Content}" : e.Message;
                logger.LogWarning("Listing or watching {Kind} objects failed, retrying in {Delay}: {Error}", kind, delay, detail);
                resourceVersion = null;
            }

            try
            {
                await Task.Delay(delay, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, MaxRetryDelay.TotalMilliseconds));
        }
    }

    /// <summary>Watches from <paramref name="resourceVersion"/> (with bookmarks and a server-side timeout, since
    /// watches can hang silently otherwise), handing each ADDED, MODIFIED or DELETED object to
    /// <paramref name="onEvent"/>, until the server ends the watch. Returns the resourceVersion to resume from, or
    /// null when the history is gone (410) and a list is needed.</summary>
    public static async Task<string?> WatchAsync(IKubernetes client, string ns, string plural, string resourceVersion,
        Func<string, JsonObject, Task> onEvent, ILogger logger, CancellationToken cancellationToken)
    {
        var kube = client as Kubernetes ?? throw new InvalidOperationException("CRD mode needs a k8s.Kubernetes client");
        var path = ns.Length == 0
            ? $"apis/{ApplicationDocuments.Group}/{ApplicationDocuments.Version}/{plural}"
            : $"apis/{ApplicationDocuments.Group}/{ApplicationDocuments.Version}/namespaces/{Uri.EscapeDataString(ns)}/{plural}";
        // Well under the client's HTTP timeout; the watch is resumed from the last resourceVersion anyway.
        var timeout = 60 + Random.Shared.Next(30);
        var query = $"{path}?watch=1&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}&timeoutSeconds={timeout}";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(kube.BaseUri, query));
        // HttpClient used directly does not authenticate: the credentials must sign the request.
        if (kube.Credentials is not null)
        {
            await kube.Credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }

        using var response = await kube.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Gone)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"watch: HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}",
                null, response.StatusCode);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0 || JsonNode.Parse(line) is not JsonObject { } evt || evt["object"] is not JsonObject obj)
            {
                continue;
            }

            var type = (string?)evt["type"];
            if (type == "ERROR")
            {
                // 410 Gone (our resourceVersion is compacted away) or another error: list again.
                logger.LogDebug("Watch of {Plural} ended: {Code} {Message}", plural, (int?)obj["code"], (string?)obj["message"]);
                return null;
            }

            resourceVersion = (string?)obj["metadata"]?["resourceVersion"] ?? resourceVersion;
            if (type is "ADDED" or "MODIFIED" or "DELETED")
            {
                await onEvent(type, obj);
            }
        }

        return resourceVersion;
    }

    public static async Task<JsonObject?> ListAsync(IKubernetes client, string ns, string plural, CancellationToken cancellationToken)
    {
        var result = ns.Length == 0
            ? await client.CustomObjects.ListClusterCustomObjectAsync(ApplicationDocuments.Group,
                ApplicationDocuments.Version, plural, cancellationToken: cancellationToken)
            : await client.CustomObjects.ListNamespacedCustomObjectAsync(ApplicationDocuments.Group,
                ApplicationDocuments.Version, ns, plural, cancellationToken: cancellationToken);
        return result is JsonElement element ? JsonNode.Parse(element.GetRawText())?.AsObject() : null;
    }
}
