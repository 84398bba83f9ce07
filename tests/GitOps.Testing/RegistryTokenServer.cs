using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace GitOps.Testing;

/// <summary>
/// A token server for distribution's token auth (docs: "Token Authentication Specification"): GET /token with basic
/// credentials and <c>service</c>/<c>scope</c> parameters answers <c>{"token", "expires_in"}</c>, a JWT signed ES256 whose
/// header carries its certificate (x5c), which the registry trusts as its root bundle. Counts what it issued.
/// </summary>
public sealed class RegistryTokenServer : IDisposable
{
    public const string Service = "gitops-test-registry";
    public const string Issuer = "gitops-test-issuer";
    private readonly LoopbackListener listener;
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 certificate;
    private readonly string username;
    private readonly string password;
    private readonly ConcurrentQueue<string> issued = new();

    public RegistryTokenServer(string username, string password)
    {
        this.username = username;
        this.password = password;
        var request = new CertificateRequest("CN=gitops-test-token-issuer", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        listener = new LoopbackListener(HandleAsync);
        Realm = $"http://127.0.0.1:{listener.Port}/token";
    }

    public string Realm { get; }

    /// <summary>The scopes of the tokens issued to clients (not the test kit's own pushes), in order.</summary>
    public IReadOnlyList<string> Issued => [.. issued];

    /// <summary>Writes the issuer certificate as the registry's rootcertbundle; returns its path.</summary>
    public string WriteRootBundle(string directory)
    {
        var path = Path.Combine(directory, "token-root.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    /// <summary>A token granting each "repository:NAME:actions" scope.</summary>
    public string Mint(IEnumerable<string> scopes)
    {
        var access = scopes.Select(s => s.Split(':')).Where(p => p.Length == 3)
            .Select(p => new { type = p[0], name = p[1], actions = p[2].Split(',') }).ToArray();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = JsonSerializer.SerializeToUtf8Bytes(new { typ = "JWT", alg = "ES256", x5c = new[] { Convert.ToBase64String(certificate.RawData) } });
        var claims = JsonSerializer.SerializeToUtf8Bytes(new
        {
            iss = Issuer, sub = username, aud = Service, exp = now + 300, nbf = now - 10, iat = now,
            jti = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)), access,
        });
        var signingInput = Base64Url(header) + "." + Base64Url(claims);
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256); // IEEE P1363: r || s
        return signingInput + "." + Base64Url(signature);
    }

    public void Dispose()
    {
        listener.Dispose();
        key.Dispose();
        certificate.Dispose();
    }

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
        if (context.Request.Headers["Authorization"] != expected || context.Request.QueryString["service"] != Service)
        {
            response.StatusCode = 401;
            response.Close();
            return;
        }

        var scopes = context.Request.QueryString.GetValues("scope") ?? [];
        issued.Enqueue(string.Join(" ", scopes));
        var body = JsonSerializer.SerializeToUtf8Bytes(new { token = Mint(scopes), expires_in = 300 });
        response.ContentType = "application/json";
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
        response.Close();
    }
}
