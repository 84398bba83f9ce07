using GitOps.Engine.Cluster;
using GitOps.Engine.Tests.Support;
using k8s;

namespace GitOps.Engine.Tests.Unit;

/// <summary>The engine's calls wait out the server's 429 Too Many Requests (its priority-and-fairness queues are full)
/// for as long as its Retry-After says, and never have more than their limit in flight together.</summary>
public sealed class ApiTransportTests
{
    private const string ConfigMap = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"demo","resourceVersion":"5"}}""";
    private const string TooMany = """{"kind":"Status","code":429,"reason":"TooManyRequests","message":"too many requests, please try again later"}""";

    [Fact]
    public async Task A_429_is_retried_after_its_retry_after_until_the_server_takes_the_request()
    {
        var attempts = 0;
        await using var server = new FakeHttpServer(_ => Task.FromResult(Interlocked.Increment(ref attempts) <= 2
            ? FakeHttpServer.Answer(429, TooMany, "Retry-After: 0\r\n")
            : FakeHttpServer.Answer(200, ConfigMap)));
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = server.Url });

        var got = await new KubeApi(client, TimeProvider.System).GetAsync("/api/v1/namespaces/demo/configmaps/cm", CancellationToken.None);

        Assert.Equal(3, attempts);
        Assert.Equal("5", got!["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_server_that_stays_busy_is_reported_with_its_own_message()
    {
        var attempts = 0;
        await using var server = new FakeHttpServer(_ =>
        {
            Interlocked.Increment(ref attempts);
            return Task.FromResult(FakeHttpServer.Answer(429, TooMany, "Retry-After: 0\r\n"));
        });
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = server.Url });

        var error = await Assert.ThrowsAsync<KubeApiException>(() =>
            new KubeApi(client, TimeProvider.System).GetAsync("/api/v1/namespaces/demo/configmaps/cm", CancellationToken.None));

        Assert.Equal(10, attempts);
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, error.Status);
        Assert.Contains("too many requests", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_more_calls_than_the_limit_are_in_flight_together()
    {
        var (now, most) = (0, 0);
        var gate = new Lock();
        await using var server = new FakeHttpServer(async _ =>
        {
            lock (gate)
            {
                most = Math.Max(most, ++now);
            }

            await Task.Delay(50);
            lock (gate)
            {
                now--;
            }

            return FakeHttpServer.Answer(200, ConfigMap);
        });
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = server.Url });
        var api = new KubeApi(client, TimeProvider.System, maxInFlight: 3);

        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => api.GetAsync("/api/v1/namespaces/demo/configmaps/cm", CancellationToken.None)));

        Assert.Equal(3, most);
    }
}
