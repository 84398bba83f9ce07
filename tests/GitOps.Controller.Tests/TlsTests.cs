using System.Diagnostics;
using GitOps.Api.V1;
using GitOps.Testing;
using Grpc.Net.Client;

namespace GitOps.Controller.Tests;

/// <summary>With --tls-cert/--tls-key the gRPC API speaks TLS only.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class TlsTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Grpc_api_serves_tls_when_a_certificate_is_configured()
    {
        var dir = Directory.CreateTempSubdirectory("gitops-tls-").FullName;
        var (cert, key) = (Path.Combine(dir, "tls.crt"), Path.Combine(dir, "tls.key"));
        Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert);
        var port = LoopbackPorts.Free();
        await using var controller = await ControllerHarness.StartAsync(cluster, "",
            extraArgs: ["--tls-cert", cert, "--tls-key", key, "--grpc-listen", $"127.0.0.1:{port}"]);

        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, c, _, _) => c?.Subject == "CN=127.0.0.1";
        using var tls = GrpcChannel.ForAddress($"https://127.0.0.1:{port}", new GrpcChannelOptions { HttpHandler = handler });
        var list = await new ApplicationService.ApplicationServiceClient(tls).ListAsync(new ListRequest());
        Assert.Empty(list.Applications);

        // Plain h2c to the TLS port is refused.
        using var plain = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        await Assert.ThrowsAsync<Grpc.Core.RpcException>(
            () => new ApplicationService.ApplicationServiceClient(plain).ListAsync(new ListRequest()).ResponseAsync);
        Directory.Delete(dir, recursive: true);
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        args.ToList().ForEach(psi.ArgumentList.Add);
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
    }
}
