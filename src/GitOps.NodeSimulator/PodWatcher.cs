using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace GitOps.NodeSimulator;

/// <summary>
/// List-then-watch of Pods for one target (a namespace, or all namespaces filtered by the scope), as an informer
/// does: a closed watch resumes from the last resource version; 410 Gone (the version was compacted) re-lists;
/// any other failure (the API server restarting) backs off and re-lists. Every change queues the Pod's key.
/// </summary>
internal sealed class PodWatcher(
    Kubernetes client, string? ns, NamespaceScope scope, PodCache cache, WorkQueue queue, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    public async Task RunAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var resourceVersion = await ListAsync(ct).ConfigureAwait(false);
                backoff = TimeSpan.FromMilliseconds(250);
                while (true)
                {
                    resourceVersion = await WatchAsync(resourceVersion, ct).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (ResourceVersionGoneException)
            {
                logger.LogInformation("Pod watch {Target}: resource version expired (410 Gone), re-listing", Target);
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException
                or JsonException or TaskCanceledException or WatchFailedException)
            {
                logger.LogWarning("Pod watch {Target} failed, re-listing in {Delay}: {Error}", Target, backoff, e.Message);
                await Task.Delay(backoff, time, ct).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private string Target => ns ?? "all namespaces";

    private bool Covers(string key) => ns is null ? scope.Contains(key.Split('/')[0]) : key.StartsWith(ns + "/", StringComparison.Ordinal);

    private async Task<string> ListAsync(CancellationToken ct)
    {
        var list = ns is null
            ? await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)
            : await client.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: ct).ConfigureAwait(false);
        var pods = list.Items.Where(p => scope.Contains(p.Metadata.NamespaceProperty)).ToList();
        foreach (var gone in cache.ReplaceAll(Covers, pods))
        {
            queue.Add(gone);
        }

        foreach (var pod in pods)
        {
            queue.Add(PodCache.KeyOf(pod));
        }

        return list.Metadata.ResourceVersion;
    }

    /// <summary>One watch request; returns the resource version to resume from when the server ends it.</summary>
    private async Task<string> WatchAsync(string resourceVersion, CancellationToken ct)
    {
        // The server ends a watch after timeoutSeconds; a little jitter keeps many watchers from resuming together.
        var timeout = 240 + Random.Shared.Next(120);
        var path = (ns is null ? "api/v1/pods" : $"api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods")
            + $"?watch=true&allowWatchBookmarks=true&timeoutSeconds={timeout}&resourceVersion={Uri.EscapeDataString(resourceVersion)}";
        await foreach (var (type, raw) in StreamAsync(path, ct).ConfigureAwait(false))
        {
            if (type == "ERROR")
            {
                var status = KubernetesJson.Deserialize<V1Status>(raw);
                throw status.Code == (int)HttpStatusCode.Gone
                    ? new ResourceVersionGoneException()
                    : new WatchFailedException($"watch error {status.Code}: {status.Message}");
            }

            var pod = KubernetesJson.Deserialize<V1Pod>(raw);
            resourceVersion = pod.Metadata.ResourceVersion ?? resourceVersion;
            if (type == "BOOKMARK" || !scope.Contains(pod.Metadata.NamespaceProperty))
            {
                continue;
            }

            var key = PodCache.KeyOf(pod);
            if (type == "DELETED")
            {
                cache.Remove(key);
            }
            else
            {
                cache.Put(pod);
            }

            queue.Add(key);
        }

        return resourceVersion;
    }

    /// <summary>The watch's newline-delimited events as (type, raw object JSON).</summary>
    private async IAsyncEnumerable<(string Type, string Object)> StreamAsync(string pathAndQuery,
        [EnumeratorCancellation] CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri, pathAndQuery));
        if (client.Credentials is not null)
        {
            await client.Credentials.ProcessHttpRequestAsync(request, ct).ConfigureAwait(false);
        }

        using var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Gone)
        {
            throw new ResourceVersionGoneException();
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new WatchFailedException($"watch {pathAndQuery}: HTTP {(int)response.StatusCode}");
        }

        using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            var type = doc.RootElement.GetProperty("type").GetString() ?? "";
            yield return (type, doc.RootElement.GetProperty("object").GetRawText());
        }
    }

    private sealed class ResourceVersionGoneException() : Exception("resource version gone");

    private sealed class WatchFailedException(string message) : Exception(message);
}
