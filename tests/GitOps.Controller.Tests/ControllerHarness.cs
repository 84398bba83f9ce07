using System.Net;
using System.Net.Sockets;
using GitOps.Api.V1;
using GitOps.Controller.Hosting;
using GitOps.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;

namespace GitOps.Controller.Tests;

/// <summary>A real controller, in-process, against the local control plane: applications from a file, state in
/// a temp directory, gRPC on a free loopback port, a short reconcile interval, and an installation ID of its own
/// (replicas of one installation are given the same one).</summary>
internal sealed class ControllerHarness : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly GrpcChannel channel;
    private readonly string directory;
    private bool stopped;

    private ControllerHarness(WebApplication app, GrpcChannel channel, string directory, string appsFile, int httpPort,
        string installationId)
    {
        this.app = app;
        this.channel = channel;
        this.directory = directory;
        AppsFile = appsFile;
        HttpPort = httpPort;
        InstallationId = installationId;
        Client = new ApplicationService.ApplicationServiceClient(channel);
        Pipelines = new PipelineService.PipelineServiceClient(channel);
    }

    public ApplicationService.ApplicationServiceClient Client { get; }

    public PipelineService.PipelineServiceClient Pipelines { get; }

    public string AppsFile { get; }

    public int HttpPort { get; }

    /// <summary>The controller's --installation-id ("" = none).</summary>
    public string InstallationId { get; }

    /// <summary>The controller's services (for in-process assertions on internals).</summary>
    public IServiceProvider Services => app.Services;

    /// <param name="installationId">The controller's installation ID; null: a new one (its own installation); "": none.</param>
    public static async Task<ControllerHarness> StartAsync(LocalClusterFixture cluster, string appsYaml,
        string? tokensYaml = null, TimeSpan? interval = null, IReadOnlyList<string>? extraArgs = null, string? installationId = null)
    {
        installationId ??= TestInstallations.New();
        var directory = Path.Combine(Path.GetTempPath(), "gitops-ctl-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var appsFile = Path.Combine(directory, "applications.yaml");
        await File.WriteAllTextAsync(appsFile, appsYaml);
        var (grpcPort, httpPort) = (LoopbackPorts.Free(), LoopbackPorts.Free());
        List<string> args =
        [
            "--applications", appsFile,
            "--state-dir", Path.Combine(directory, "state"),
            "--cache-dir", Path.Combine(directory, "cache"),
            "--kubeconfig", cluster.KubeconfigPath,
            "--grpc-listen", $"127.0.0.1:{grpcPort}",
            "--http-listen", $"127.0.0.1:{httpPort}",
            "--interval", (interval ?? TimeSpan.FromSeconds(2)).ToString(),
            // Short retry backoff: recovery is tested without waiting minutes on a loaded machine.
            "--Controller:RetryBase", "00:00:01", "--Controller:RetryMax", "00:00:04",
            TestInstallations.Flag, installationId,
        ];
        if (tokensYaml is not null)
        {
            var tokens = Path.Combine(directory, "tokens.yaml");
            await File.WriteAllTextAsync(tokens, tokensYaml);
            args.AddRange(["--tokens", tokens]);
        }

        args.AddRange(extraArgs ?? []);
        var app = ControllerHost.Build([.. args]);
        await app.StartAsync();
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        return new ControllerHarness(app, channel, directory, appsFile, httpPort, installationId);
    }

    /// <summary>Polls Get until the condition holds (the loop works asynchronously).</summary>
    public Task<Application> WaitForAsync(string name, Func<Application, bool> condition, string because,
        int seconds = 45) =>
        Eventually.HoldsAsync(() => Client.GetAsync(new GetRequest { Name = name, IncludeHistory = true }).ResponseAsync,
            condition, TimeSpan.FromSeconds(seconds), because);

    /// <summary>Stops the controller (as a shutdown would) before the test ends; disposing later is safe.</summary>
    public async Task StopAsync()
    {
        if (!stopped)
        {
            stopped = true;
            await app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        channel.Dispose();
        await StopAsync();
        await app.DisposeAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>--leader-elect with the Lease in the test's namespace; short timings keep a take-over quick.</summary>
    public static string[] LeaderElectionArgs(string leaseNamespace) =>
    [
        "--leader-elect", "--lease-namespace", leaseNamespace,
        "--Controller:LeaseDuration", "00:00:04", "--Controller:RenewDeadline", "00:00:03", "--Controller:RetryPeriod", "00:00:00.500",
    ];

    /// <summary>Dynamic sharding (--shards) over <paramref name="shards"/> shard Leases in the test's namespace.</summary>
    public static string[] DynamicShardArgs(string leaseNamespace, int shards) =>
        [.. LeaderElectionArgs(leaseNamespace), "--shards", shards.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    /// <summary>The shards a replica says it holds (/readyz X-Shards), null while it is not ready.</summary>
    public static async Task<int[]?> HeldShardsAsync(int httpPort)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/readyz"));
        if (!response.IsSuccessStatusCode || !response.Headers.TryGetValues("X-Shards", out var values))
        {
            return null;
        }

        var held = values.Single();
        return held == "none" ? [] : [.. held.Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture))];
    }
}

internal static class RpcAssert
{
    public static async Task<RpcException> ThrowsAsync(StatusCode code, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, e.StatusCode);
        return e;
    }
}
