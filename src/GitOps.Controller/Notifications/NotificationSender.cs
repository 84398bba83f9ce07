using System.Net;
using System.Net.Http.Headers;

namespace GitOps.Controller.Notifications;

/// <summary>
/// Posts one delivery, retrying network errors, timeouts, 429 and 5xx with exponential backoff; a 4xx other than 429
/// is final. Logs name the sink and its host only: the path and query of an incoming-webhook URL are its secret
/// (which is also why this uses a plain HttpClient: IHttpClientFactory's handlers log full request URLs).
/// </summary>
internal sealed partial class NotificationSender(HttpClient http, NotificationsConfig config, TimeProvider clock,
    ILogger<NotificationSender> logger)
{
    public async Task<bool> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var sink = delivery.Sink;
        for (var attempt = 1; ; attempt++)
        {
            string failure;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(config.Timeout);
                try
                {
                    using var request = Request(delivery);
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        LogSent(logger, delivery.Event.App, delivery.Event.Trigger.Name(), sink.Name, sink.Display, attempt);
                        return true;
                    }

                    failure = $"HTTP {(int)response.StatusCode}";
                    if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode < 500)
                    {
                        LogRejected(logger, delivery.Event.App, delivery.Event.Trigger.Name(), sink.Name, sink.Display, failure);
                        return false;
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = $"no answer within {config.Timeout.TotalSeconds:0.#}s";
                }
                catch (HttpRequestException e)
                {
                    failure = Scrub(e.HttpRequestError.ToString(), sink);
                }
            }

            if (attempt >= config.MaxAttempts)
            {
                LogGaveUp(logger, delivery.Event.App, delivery.Event.Trigger.Name(), sink.Name, sink.Display, attempt, failure);
                return false;
            }

            var delay = TimeSpan.FromTicks(Math.Min(config.RetryMax.Ticks, config.RetryBase.Ticks * (1L << Math.Min(attempt - 1, 20))));
            LogRetrying(logger, sink.Name, sink.Display, failure, attempt, delay.TotalSeconds);
            await Task.Delay(delay, clock, cancellationToken);
        }
    }

    private static HttpRequestMessage Request(Delivery delivery)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, delivery.Sink.Url)
        {
            Content = new ByteArrayContent(delivery.Body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Add(SinkPayloads.EventHeader, delivery.Event.Trigger.Name());
        request.Headers.Add(SinkPayloads.DeliveryHeader, delivery.Id);
        if (delivery.Signature is not null)
        {
            request.Headers.Add(SinkPayloads.SignatureHeader, delivery.Signature);
        }

        return request;
    }

    private static string Scrub(string message, Sink sink) =>
        message.Replace(sink.Url.ToString(), sink.Display, StringComparison.Ordinal)
            .Replace(sink.Url.PathAndQuery, "/***", StringComparison.Ordinal);

    [LoggerMessage(LogLevel.Information, "Notification {Trigger} of {App} sent to {Sink} ({Host}), attempt {Attempt}")]
    private static partial void LogSent(ILogger logger, string app, string trigger, string sink, string host, int attempt);

    [LoggerMessage(LogLevel.Warning, "Notification {Trigger} of {App} refused by {Sink} ({Host}): {Failure}; not retried")]
    private static partial void LogRejected(ILogger logger, string app, string trigger, string sink, string host, string failure);

    [LoggerMessage(LogLevel.Warning, "Notification {Trigger} of {App} to {Sink} ({Host}) dropped after {Attempts} attempts: {Failure}")]
    private static partial void LogGaveUp(ILogger logger, string app, string trigger, string sink, string host, int attempts, string failure);

    [LoggerMessage(LogLevel.Information, "Notification sink {Sink} ({Host}): {Failure} (attempt {Attempt}); retrying in {Delay}s")]
    private static partial void LogRetrying(ILogger logger, string sink, string host, string failure, int attempt, double delay);
}
