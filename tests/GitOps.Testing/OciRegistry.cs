using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace GitOps.Testing;

/// <summary>
/// A real OCI registry: Debian's docker-registry (distribution 2.8) on loopback, either over TLS with a self-signed
/// certificate for 127.0.0.1 (<see cref="CaFile"/>) and htpasswd (bcrypt) basic auth, or (<c>tokenAuth</c>) over
/// plain HTTP with distribution's token auth: a <see cref="TokenServer"/> of the test kit checks the basic
/// credentials and issues ES256 JWTs whose x5c certificate is the registry's trusted root. Charts are pushed through
/// the distribution API as Helm pushes them: config blob, chart layer blob, OCI manifest tagged with the version.
/// hack/install-deps.sh installs docker-registry and apache2-utils (htpasswd).
/// </summary>
public sealed class OciRegistry : IDisposable
{
    public const string Username = "pusher";
    public const string Password = "registry-s3cret";
    private readonly Process process;
    private readonly HttpClient client;
    private readonly X509Certificate2 certificate;

    private OciRegistry(string directory, int port, Process process, X509Certificate2 certificate, RegistryTokenServer? tokens)
    {
        Directory = directory;
        Port = port;
        this.process = process;
        this.certificate = certificate;
        TokenServer = tokens;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == certificate.GetCertHashString();
        client = new HttpClient(new PushAuthorization(tokens, handler)) { BaseAddress = new Uri($"{(tokens is null ? "https" : "http")}://127.0.0.1:{port}/") };
    }

    /// <summary>The token server when the registry uses token auth (else null).</summary>
    public RegistryTokenServer? TokenServer { get; }

    public string Directory { get; }

    public int Port { get; }

    /// <summary>The PEM of the registry's self-signed certificate (a credentials entry's <c>ca=</c>).</summary>
    public string CaFile => Path.Combine(Directory, "cert.pem");

    /// <summary>oci://127.0.0.1:PORT/charts — an app's repoURL; charts live at charts/NAME.</summary>
    public string Url => $"oci://127.0.0.1:{Port}/charts";

    /// <summary>A credentials-file line for this registry (basic auth + its CA bundle, or plain HTTP under token auth).</summary>
    public string CredentialsLine => TokenServer is null
        ? $"oci://{Username}:{Password}@127.0.0.1:{Port}/charts ca={CaFile}"
        : $"oci://{Username}:{Password}@127.0.0.1:{Port}/charts plain-http=true";

    public static async Task<OciRegistry> StartAsync(bool tokenAuth = false)
    {
        var binary = new[] { "/usr/bin/docker-registry", "/usr/sbin/docker-registry" }.FirstOrDefault(File.Exists)
                     ?? throw new InvalidOperationException("docker-registry is not installed: run hack/install-deps.sh (Debian package docker-registry)");
        var directory = System.IO.Directory.CreateTempSubdirectory("gitops-registry-").FullName;
        var port = LoopbackPorts.Free();
        var certificate = WriteCertificate(directory);
        var htpasswd = await RunAsync("htpasswd", "-Bbn", Username, Password);
        await File.WriteAllTextAsync(Path.Combine(directory, "htpasswd"), htpasswd);
        var tokens = tokenAuth ? new RegistryTokenServer(Username, Password) : null;
        var listen = tokens is null
            ? $"""
                  tls:
                    certificate: {directory}/cert.pem
                    key: {directory}/key.pem
                """
            : "";
        var auth = tokens is null
            ? $"""
                  htpasswd:
                    realm: test-registry
                    path: {directory}/htpasswd
                """
            : $"""
                  token:
                    realm: {tokens.Realm}
                    service: {RegistryTokenServer.Service}
                    issuer: {RegistryTokenServer.Issuer}
                    rootcertbundle: {tokens.WriteRootBundle(directory)}
                """;
        await File.WriteAllTextAsync(Path.Combine(directory, "config.yml"), $"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {directory}/data
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
              secret: {Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}
            {listen}
            auth:
            {auth}
            """);
        var start = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(Path.Combine(directory, "config.yml"));
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var registry = new OciRegistry(directory, port, process, certificate, tokens);
        try
        {
            await Eventually.HoldsAsync(async () =>
            {
                try
                {
                    using var probe = new HttpRequestMessage(HttpMethod.Get, "v2/");
                    using var answer = await registry.client.SendAsync(probe);
                    return answer.StatusCode;
                }
                catch (HttpRequestException)
                {
                    return HttpStatusCode.ServiceUnavailable;
                }
            }, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "docker-registry answers /v2/");
        }
        catch
        {
            registry.Dispose();
            throw;
        }

        return registry;
    }

    /// <summary>Pushes the chart as charts/NAME:VERSION (with '+' as '_'); returns the chart layer's digest.</summary>
    public async Task<string> PushAsync(PackagedChart chart, string configMediaType = "application/vnd.cncf.helm.config.v1+json")
    {
        var name = $"charts/{chart.Name}";
        var config = JsonSerializer.SerializeToUtf8Bytes(new { name = chart.Name, version = chart.Version, apiVersion = "v2" });
        var configDigest = await UploadAsync(name, config);
        var layerDigest = await UploadAsync(name, chart.Archive);
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = new { mediaType = configMediaType, digest = configDigest, size = config.Length },
            ["layers"] = new[] { new { mediaType = "application/vnd.cncf.helm.chart.content.v1.tar+gzip", digest = layerDigest, size = chart.Archive.Length } },
        });
        using var put = new HttpRequestMessage(HttpMethod.Put, $"v2/{name}/manifests/{chart.Version.Replace('+', '_')}")
        {
            Content = new ByteArrayContent(manifest),
        };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        using var answer = await client.SendAsync(put);
        if (answer.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"manifest push answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        }

        return layerDigest;
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
        client.Dispose();
        TokenServer?.Dispose();
        certificate.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<string> UploadAsync(string name, byte[] blob)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));
        using var start = await client.PostAsync($"v2/{name}/blobs/uploads/", null);
        if (start.StatusCode != HttpStatusCode.Accepted || start.Headers.Location is not { } location)
        {
            throw new InvalidOperationException($"blob upload start answered {(int)start.StatusCode}");
        }

        var target = location.IsAbsoluteUri ? location : new Uri(client.BaseAddress!, location);
        var url = target + (target.Query.Length > 0 ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest);
        using var put = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(blob) };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var done = await client.SendAsync(put);
        if (done.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"blob upload answered {(int)done.StatusCode}: {await done.Content.ReadAsStringAsync()}");
        }

        return digest;
    }

    private static X509Certificate2 WriteCertificate(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(Path.Combine(directory, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        return certificate;
    }

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return p.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} exited {p.ExitCode}: {await p.StandardError.ReadToEndAsync()}");
    }

    /// <summary>The test kit's own pushes: basic auth (htpasswd), or a token it mints for the request's repository.</summary>
    private sealed class PushAuthorization(RegistryTokenServer? tokens, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.AbsolutePath : "/" + request.RequestUri.OriginalString;
            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var marker = Array.FindIndex(parts, p => p is "blobs" or "manifests" or "tags");
            request.Headers.Authorization = tokens is null
                ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}")))
                : new AuthenticationHeaderValue("Bearer", tokens.Mint(marker > 1 ? [$"repository:{string.Join('/', parts[1..marker])}:pull,push"] : []));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
