using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using GitOps.Source.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOps.Source.Tests;

/// <summary>MapGitWebhooks on a real Kestrel listener on loopback.</summary>
public sealed class WebhookEndpointTests : IAsyncLifetime
{
    private readonly RecordingQueue queue = new();
    private WebApplication? app;
    private HttpClient client = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddGitWebhooks(WebhookDeliveries.Options);
        builder.Services.AddSingleton<IRefreshQueue>(queue);
        app = builder.Build();
        app.MapGitWebhooks();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    private static HttpRequestMessage Post(WebhookRequest delivery, bool chunked = false)
    {
        HttpContent content = chunked
            ? new StreamContent(new MemoryStream(delivery.Body.ToArray()))
            : new ByteArrayContent(delivery.Body.ToArray());
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhook") { Content = content };
        foreach (var (name, value) in delivery.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        return request;
    }

    [Fact]
    public async Task A_signed_push_is_enqueued_and_answered_202_with_what_was_refreshed()
    {
        using var response = await client.SendAsync(Post(WebhookDeliveries.Signed(GitForge.Gogs)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("http://192.168.1.10:3000/sysnet4admin/gitops", json.RootElement.GetProperty("repositories")[0].GetString());
        Assert.Equal("refs/heads/master", json.RootElement.GetProperty("ref").GetString());
        var (url, branch, paths) = Assert.Single(queue.Items);
        Assert.Equal("http://192.168.1.10:3000/sysnet4admin/gitops", url);
        Assert.Equal("master", branch);
        Assert.Equal(["rollout-nginx/deployment.yaml"], paths);
    }

    [Fact]
    public async Task Refused_deliveries_enqueue_nothing()
    {
        using var wrong = await client.SendAsync(Post(WebhookDeliveries.Signed(GitForge.GitHub, secret: "nope")));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var body = WebhookDeliveries.Payload(GitForge.GitHub);
        using var truncated = await client.SendAsync(Post(WebhookDeliveries.Signed(GitForge.GitHub, body[..100])));
        Assert.Equal(HttpStatusCode.BadRequest, truncated.StatusCode);
        Assert.Empty(queue.Items);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Oversized_bodies_are_a_413_with_or_without_content_length(bool chunked)
    {
        var big = new byte[WebhookDeliveries.Options.MaxBodyBytes * 2];
        using var response = await client.SendAsync(Post(WebhookDeliveries.Signed(GitForge.GitHub, big), chunked));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(queue.Items);
    }

    [Fact]
    public async Task A_failing_queue_is_a_503_so_the_forge_retries()
    {
        queue.Fail = true;
        using var response = await client.SendAsync(Post(WebhookDeliveries.Signed(GitForge.GitLab)));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    private sealed class RecordingQueue : IRefreshQueue
    {
        public ConcurrentQueue<(string Url, string Branch, IReadOnlyList<string>? Paths)> Items { get; } = new();

        public bool Fail { get; set; }

        public Task EnqueueAsync(string repoUrl, string branch, IReadOnlyList<string>? changedPaths,
            CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new InvalidOperationException("queue down");
            }

            Items.Enqueue((repoUrl, branch, changedPaths));
            return Task.CompletedTask;
        }
    }
}
