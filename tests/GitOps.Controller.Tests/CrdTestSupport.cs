using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Api.V1;
using GitOps.Applications;
using GitOps.Controller.Applications;
using GitOps.Controller.Hosting;
using GitOps.Testing;
using Grpc.Net.Client;
using k8s;
using Microsoft.AspNetCore.Builder;

namespace GitOps.Controller.Tests;

/// <summary>Installs the real Application CRD (manifests/crd.yaml) and reads/writes Application objects.</summary>
internal static class CrdCluster
{
    public static string ManifestsDirectory => Path.Combine(RepositoryLayout.Root, "manifests");

    /// <summary>Applies a CRD for real (server-side, idempotent) and waits until it is Established; by default the
    /// Application and Project CRDs.</summary>
    public static async Task InstallCrdAsync(LocalClusterFixture cluster, string? file = null, string? name = null)
    {
        var crds = file is null
            ? new[] { ("crd.yaml", "applications.gitops.dev"), ("project-crd.yaml", "projects.gitops.dev") }
            : new[] { (file, name ?? throw new ArgumentNullException(nameof(name))) };
        foreach (var (path, crdName) in crds)
        {
            var (code, output) = await KubectlAsync(cluster, "apply", "--server-side", "--force-conflicts",
                "-f", Path.Combine(ManifestsDirectory, path));
            Assert.True(code == 0, output);
            await Eventually.HoldsAsync(
                () => cluster.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crdName),
                crd => crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true,
                TimeSpan.FromSeconds(30), $"the {crdName} CRD is Established");
        }
    }

    public static async Task<(int Code, string Output)> KubectlAsync(LocalClusterFixture cluster, params string[] args)
    {
        var psi = new ProcessStartInfo("kubectl", args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["KUBECONFIG"] = cluster.KubeconfigPath;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start kubectl");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Creates an Application object from its YAML (as a user would write it).</summary>
    public static async Task CreateAsync(LocalClusterFixture cluster, string ns, string yaml, string plural = ApplicationDocuments.Plural)
    {
        var (doc, _) = SimpleYaml.ReadDocuments(yaml, "test").Single();
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(doc, ApplicationDocuments.Group,
            ApplicationDocuments.Version, ns, plural);
    }

    public static async Task<JsonObject> GetAsync(LocalClusterFixture cluster, string ns, string name, string plural = ApplicationDocuments.Plural)
    {
        var obj = await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync(ApplicationDocuments.Group,
            ApplicationDocuments.Version, ns, plural, name);
        return JsonNode.Parse(((JsonElement)obj).GetRawText())!.AsObject();
    }

    /// <summary>Polls the object until its status satisfies the condition; returns the status.</summary>
    public static async Task<JsonObject> WaitForStatusAsync(LocalClusterFixture cluster, string ns, string name,
        Func<JsonObject, bool> condition, string because, int seconds = 60)
    {
        var obj = await Eventually.HoldsAsync(() => GetAsync(cluster, ns, name),
            o => o["status"] is JsonObject status && condition(status), TimeSpan.FromSeconds(seconds), because);
        return obj["status"]!.AsObject();
    }

    public static async Task<IReadOnlyList<k8s.Models.Corev1Event>> EventsAsync(LocalClusterFixture cluster, string ns, string app) =>
        (await cluster.Client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: $"involvedObject.name={app}")).Items.ToList();
}

/// <summary>A real controller in CRD mode, in-process: no applications file, Application objects watched in
/// one test namespace, status in their status subresource.</summary>
internal sealed class CrdController : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly GrpcChannel channel;
    private readonly string directory;

    private CrdController(WebApplication app, GrpcChannel channel, string directory)
    {
        this.app = app;
        this.channel = channel;
        this.directory = directory;
        Client = new ApplicationService.ApplicationServiceClient(channel);
        Pipelines = new PipelineService.PipelineServiceClient(channel);
    }

    public ApplicationService.ApplicationServiceClient Client { get; }

    public PipelineService.PipelineServiceClient Pipelines { get; }

    public IServiceProvider Services => app.Services;

    public static async Task<CrdController> StartAsync(LocalClusterFixture cluster, string applicationsNamespace,
        TimeSpan? interval = null, params string[] extraArgs)
    {
        var directory = Path.Combine(Path.GetTempPath(), "gitops-crd-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var grpcPort = LoopbackPorts.Free();
        var app = ControllerHost.Build(
        [
            "--applications-namespace", applicationsNamespace,
            "--state-dir", Path.Combine(directory, "state"),
            "--cache-dir", Path.Combine(directory, "cache"),
            "--kubeconfig", cluster.KubeconfigPath,
            "--grpc-listen", $"127.0.0.1:{grpcPort}",
            "--http-listen", $"127.0.0.1:{LoopbackPorts.Free()}",
            "--interval", (interval ?? TimeSpan.FromSeconds(2)).ToString(),
            // One installation per applications namespace: replicas and restarts on it share the ID, other tests' differ.
            .. TestInstallations.With(extraArgs, TestInstallations.For(applicationsNamespace)),
        ]);
        await app.StartAsync();
        return new CrdController(app, GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}"), directory);
    }

    public Task<GitOps.Api.V1.Application> WaitForAsync(string name, Func<GitOps.Api.V1.Application, bool> condition,
        string because, int seconds = 60) =>
        Eventually.HoldsAsync(async () =>
            {
                try
                {
                    return await Client.GetAsync(new GetRequest { Name = name, IncludeHistory = true }).ResponseAsync;
                }
                catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.NotFound)
                {
                    return null; // not listed from the cluster yet
                }
            },
            a => a is not null && condition(a), TimeSpan.FromSeconds(seconds), because)!;

    public async ValueTask DisposeAsync()
    {
        channel.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
