using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using GitOps.Engine.Cluster;
using k8s;

namespace GitOps.Engine.Tests.Unit;

/// <summary>A watch stream's lines are read into events whose name, namespace and resourceVersion are known before
/// the object is parsed, wherever the line's bytes were split on the way.</summary>
public sealed class WatchEventTests
{
    private const string ManagedFieldsFirst =
        """{"type":"MODIFIED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"managedFields":[{"manager":"m","fieldsV1":{"f:data":{"f:name":{}}}}],"name":"cm","namespace":"demo","uid":"u","resourceVersion":"42","labels":{"name":"not-this"}},"data":{"name":"nor-this"}}}""";

    [Fact]
    public void Metadata_is_read_wherever_it_sits_among_other_fields()
    {
        var evt = WatchEvent.Read(Encoding.UTF8.GetBytes(ManagedFieldsFirst))!;

        Assert.Equal(("MODIFIED", "demo", "cm", "42"), (evt.Type, evt.Namespace, evt.Name, evt.ResourceVersion));
        var parsed = evt.Parse();
        Assert.Equal("nor-this", parsed.Object["data"]!["name"]!.GetValue<string>());
        Assert.Equal(parsed.Object.ToJsonString(), JsonDocument.Parse(parsed.Json).RootElement.GetRawText());
    }

    [Fact]
    public void The_type_may_follow_the_object_and_a_cluster_scoped_object_has_no_namespace()
    {
        var evt = WatchEvent.Read("""{"object":{"metadata":{"name":"ns1","resourceVersion":"7"}},"type":"ADDED"}"""u8)!;

        Assert.Equal(("ADDED", null, "ns1", "7"), (evt.Type, evt.Namespace, evt.Name, evt.ResourceVersion));
    }

    [Fact]
    public void An_error_event_carries_its_status_and_no_metadata()
    {
        var evt = WatchEvent.Read("""{"type":"ERROR","object":{"kind":"Status","code":410,"message":"too old resource version"}}"""u8)!;

        Assert.Equal(("ERROR", null, null), (evt.Type, evt.Name, evt.ResourceVersion));
        Assert.Equal(410, evt.Parse().Object["code"]!.GetValue<int>());
    }

    [Fact]
    public void A_line_without_an_event_is_skipped_and_one_that_is_not_json_is_an_error()
    {
        Assert.Null(WatchEvent.Read(""u8));
        Assert.Null(WatchEvent.Read("""{"type":"ADDED"}"""u8));
        Assert.ThrowsAny<JsonException>(() => WatchEvent.Read("""{"type":"ADDED","object":{"metadata":"""u8));
    }

    [Fact]
    public async Task Events_split_across_reads_arrive_whole_and_in_order()
    {
        // A server that sends a long event in small pieces, a line end on its own, and two events in one write.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var big = ManagedFieldsFirst.Replace("nor-this", new string('x', 20_000), StringComparison.Ordinal);
        var body = big + "\n" + ManagedFieldsFirst.Replace("\"42\"", "\"43\"", StringComparison.Ordinal) + "\n"
            + """{"type":"BOOKMARK","object":{"kind":"ConfigMap","metadata":{"resourceVersion":"44"}}}""" + "\n";
        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            await using var stream = new NetworkStream(socket);
            var request = new byte[4096];
            _ = await stream.ReadAsync(request);
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"u8.ToArray());
            var bytes = Encoding.UTF8.GetBytes(body);
            for (var at = 0; at < bytes.Length; at += 997)
            {
                await stream.WriteAsync(bytes.AsMemory(at, Math.Min(997, bytes.Length - at)));
                await stream.FlushAsync();
            }
        });
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = $"http://127.0.0.1:{port}" });

        List<WatchEvent> events = [];
        await foreach (var evt in new KubeApi(client, TimeProvider.System).WatchAsync("/api/v1/configmaps?watch=1", CancellationToken.None))
        {
            events.Add(evt);
        }

        await server;
        Assert.Equal(["42", "43", "44"], events.Select(e => e.ResourceVersion));
        Assert.Equal(new string('x', 20_000), events[0].Parse().Object["data"]!["name"]!.GetValue<string>());
        Assert.Equal("BOOKMARK", events[2].Type);
    }
}
