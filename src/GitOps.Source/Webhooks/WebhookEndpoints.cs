using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GitOps.Source.Webhooks;

/// <summary>ASP.NET Core wiring for <see cref="GitWebhookHandler"/>.</summary>
public static class WebhookEndpoints
{
    /// <summary>Registers the handler; the host registers its own <see cref="IRefreshQueue"/>.</summary>
    public static IServiceCollection AddGitWebhooks(this IServiceCollection services, WebhookOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<GitWebhookHandler>();
        return services;
    }

    /// <summary>
    /// Maps <c>POST {pattern}</c>: reads at most the configured body size, authenticates, and enqueues a
    /// refresh for each repository URL of a push. Answers 202 with JSON naming what was refreshed.
    /// </summary>
    public static IEndpointConventionBuilder MapGitWebhooks(this IEndpointRouteBuilder endpoints,
        string pattern = "/api/webhook")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapPost(pattern, HandleAsync);
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var handler = context.RequestServices.GetRequiredService<GitWebhookHandler>();
        var options = context.RequestServices.GetRequiredService<WebhookOptions>();
        var body = await ReadCappedAsync(context.Request, options.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        WebhookResult result;
        if (body is null)
        {
            result = new WebhookResult(413, $"payload larger than {options.MaxBodyBytes} bytes");
        }
        else
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, values) in context.Request.Headers)
            {
                headers[name] = values.ToString();
            }

            result = handler.Handle(new WebhookRequest(headers, body));
            if (result.IsRefresh)
            {
                var queue = context.RequestServices.GetRequiredService<IRefreshQueue>();
                try
                {
                    foreach (var url in result.RepositoryUrls!)
                    {
                        await queue.EnqueueAsync(url, result.Branch ?? result.Ref!, result.ChangedPaths,
                            context.RequestAborted).ConfigureAwait(false);
                    }
                }
#pragma warning disable CA1031 // The forge only needs to know it should retry.
                catch (Exception)
#pragma warning restore CA1031
                {
                    result = result with { StatusCode = 503, Message = "refresh queue unavailable" };
                }
            }
        }

        context.Response.StatusCode = result.StatusCode;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("message", result.Message);
        if (result.Forge is { } forge)
        {
            writer.WriteString("forge", forge.ToString());
        }

        if (result.IsRefresh)
        {
            writer.WriteStartArray("repositories");
            foreach (var url in result.RepositoryUrls!)
            {
                writer.WriteStringValue(url);
            }

            writer.WriteEndArray();
            writer.WriteString("ref", result.Ref);
        }

        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The body, or null when it is longer than <paramref name="max"/> bytes.</summary>
    private static async Task<byte[]?> ReadCappedAsync(HttpRequest request, int max, CancellationToken cancellationToken)
    {
        if (request.ContentLength > max)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
