using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOps.NodeSimulator;

/// <summary>
/// The one kubelet API the simulator serves: <c>GET /containerLogs/{namespace}/{pod}/{container}</c>, which the API
/// server proxies `kubectl logs` to (over HTTPS at the Node's InternalIP and kubelet port; without
/// --kubelet-certificate-authority it does not verify the certificate, so a self-signed one does). The log is
/// the container's simulated output (<see cref="PodRules.Log"/>); there is no exec, attach or port-forward.
/// </summary>
internal sealed class LogEndpoint(PodCache cache, ILoggerFactory loggers) : IAsyncDisposable
{
    private WebApplication? app;

    public int Port { get; private set; }

    public async Task StartAsync(int port, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.UseHttps(SelfSigned())));
        app = builder.Build();
        app.MapGet("/containerLogs/{ns}/{pod}/{container}", (string ns, string pod, string container, int? tailLines) =>
            Logs(ns, pod, container, tailLines));
        app.MapGet("/healthz", () => "ok");
        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private IResult Logs(string ns, string name, string container, int? tailLines)
    {
        var pod = cache.Get(ns, name);
        var spec = pod is null ? null : PodRules.AllContainers(pod).FirstOrDefault(c => c.Name == container);
        if (pod is null || spec is null)
        {
            return Results.NotFound($"container \"{container}\" in pod \"{name}\" not found on this simulated node\n");
        }

        var status = (pod.Status?.ContainerStatuses ?? []).Concat(pod.Status?.InitContainerStatuses ?? [])
            .FirstOrDefault(c => c.Name == container);
        if (status?.State?.Waiting is { } waiting || status is null)
        {
            // A kubelet's answer for a container that never started.
            return Results.BadRequest($"container \"{container}\" in pod \"{name}\" is waiting to start: {status?.State?.Waiting?.Reason ?? "ContainerCreating"}\n");
        }

        var lines = PodRules.Log(pod, spec).Split('\n', StringSplitOptions.None)[..^1];
        if (tailLines is >= 0 && tailLines < lines.Length)
        {
            lines = lines[^tailLines.Value..];
        }

        return Results.Text(string.Concat(lines.Select(l => l + "\n")), "text/plain");
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=gitops-node-sim", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        // Round-trip through PFX so the private key is usable by the TLS stack on every platform.
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }
}
