using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using GitOps.Templating.Serialization;

namespace GitOps.Templating.Functions;

/// <summary>Sprig's certificate value: .Cert and .Key in PEM.</summary>
internal sealed class CertificateObject(string cert, string key) : IGoObject, IJsonValue
{
    public string Cert { get; } = cert;
    public string Key { get; } = key;
    public string GoTypeName => "sprig.certificate";

    public bool TryGetField(string name, out object? value)
    {
        value = name switch { "Cert" => Cert, "Key" => Key, _ => null };
        return name is "Cert" or "Key";
    }

    public GoFunction? GetMethod(string name) => null;
    public string Format() => "{" + Cert + " " + Key + "}";
    public object? ToJsonValue() => new Dictionary<string, object?> { ["Cert"] = Cert, ["Key"] = Key };
}

/// <summary>Sprig's key/certificate generation and AES helpers on the .NET crypto stack.</summary>
internal static class Crypto
{
    public static void Register(IDictionary<string, GoFunction> t)
    {
        void Add(string name, string sig, GoFunc f) => t[name] = GoFunction.Of(name, sig, f);
        Add("genPrivateKey", "s", (_, a) => GenPrivateKey((string)a[0]!));
        Add("genCA", "si", (_, a) => GenCA((string)a[0]!, (long)a[1]!, null));
        Add("genCAWithKey", "sis", (_, a) => GenCA((string)a[0]!, (long)a[1]!, (string)a[2]!));
        Add("genSelfSignedCert", "saai", (_, a) => GenCert((string)a[0]!, a[1], a[2], (long)a[3]!, null, null));
        Add("genSelfSignedCertWithKey", "saais", (_, a) => GenCert((string)a[0]!, a[1], a[2], (long)a[3]!, null, (string)a[4]!));
        Add("genSignedCert", "saaia", (_, a) => GenCert((string)a[0]!, a[1], a[2], (long)a[3]!, Ca(a[4]), null));
        Add("genSignedCertWithKey", "saaias", (_, a) => GenCert((string)a[0]!, a[1], a[2], (long)a[3]!, Ca(a[4]), (string)a[5]!));
        Add("buildCustomCert", "ss", (_, a) => new CertificateObject(FromB64((string)a[0]!), FromB64((string)a[1]!)));
        Add("encryptAES", "ss", (_, a) => EncryptAes((string)a[0]!, (string)a[1]!));
        Add("decryptAES", "ss", (_, a) => DecryptAes((string)a[0]!, (string)a[1]!));
    }

    private static string FromB64(string s)
    {
        try { return Encoding.UTF8.GetString(Convert.FromBase64String(s)); }
        catch (FormatException e) { throw new FunctionException("unable to decode base64: " + e.Message); }
    }

    private static CertificateObject Ca(object? v) => v as CertificateObject ?? throw new FunctionException($"wrong type for value; expected sprig.certificate; got {GoValues.TypeName(v)}");

    private static string GenPrivateKey(string type)
    {
        switch (type)
        {
            case "" or "rsa":
            {
                using var rsa = RSA.Create(4096);
                return rsa.ExportRSAPrivateKeyPem() + "\n";
            }
            case "ecdsa":
            {
                using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                return ec.ExportECPrivateKeyPem() + "\n";
            }
            default: throw new FunctionException($"Unknown type {type}");
        }
    }

    private static RSA LoadKey(string? pem)
    {
        var rsa = RSA.Create(2048);
        if (pem is null) return rsa;
        try { rsa.ImportFromPem(pem); }
        catch (ArgumentException e) { throw new FunctionException("error parsing private key: " + e.Message); }
        catch (CryptographicException e) { throw new FunctionException("error parsing private key: " + e.Message); }
        return rsa;
    }

    private static CertificateObject GenCA(string cn, long days, string? keyPem)
    {
        using var key = LoadKey(keyPem);
        var req = new CertificateRequest(Subject(cn), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var now = DateTimeOffset.UtcNow;
        using var cert = req.CreateSelfSigned(now, now.AddDays(days));
        return new CertificateObject(cert.ExportCertificatePem() + "\n", key.ExportRSAPrivateKeyPem() + "\n");
    }

    private static CertificateObject GenCert(string cn, object? ips, object? dns, long days, CertificateObject? ca, string? keyPem)
    {
        using var key = LoadKey(keyPem);
        var req = new CertificateRequest(Subject(cn), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var ip in Conv.StrSlice(ips))
        {
            if (!IPAddress.TryParse((string)ip!, out var addr)) throw new FunctionException($"error parsing ip: {ip}");
            san.AddIpAddress(addr);
        }
        foreach (var name in Conv.StrSlice(dns)) san.AddDnsName((string)name!);
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DigitalSignature, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        if (ca is null)
        {
            using var self = req.CreateSelfSigned(now, now.AddDays(days));
            return new CertificateObject(self.ExportCertificatePem() + "\n", key.ExportRSAPrivateKeyPem() + "\n");
        }
        using var caCert = X509Certificate2.CreateFromPem(ca.Cert, ca.Key);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var notAfter = now.AddDays(days) < caCert.NotAfter ? now.AddDays(days) : caCert.NotAfter;
        using var signed = req.Create(caCert, now, notAfter, serial);
        return new CertificateObject(signed.ExportCertificatePem() + "\n", key.ExportRSAPrivateKeyPem() + "\n");
    }

    private static X500DistinguishedName Subject(string cn)
    {
        var b = new X500DistinguishedNameBuilder();
        b.AddCommonName(cn);
        return b.Build();
    }

    /// <summary>Sprig's encryptAES: AES-256-CBC, key = password zero-padded to 32 bytes, random IV prepended, base64.</summary>
    private static string EncryptAes(string password, string text)
    {
        using var aes = Aes.Create();
        aes.Key = KeyFrom(password);
        var iv = RandomNumberGenerator.GetBytes(16);
        var cipher = aes.EncryptCbc(Encoding.UTF8.GetBytes(text), iv, PaddingMode.PKCS7);
        return Convert.ToBase64String([.. iv, .. cipher]);
    }

    private static string DecryptAes(string password, string crypt)
    {
        try
        {
            var data = Convert.FromBase64String(crypt);
            if (data.Length < 16 || data.Length % 16 != 0) throw new FunctionException("ciphertext too short");
            using var aes = Aes.Create();
            aes.Key = KeyFrom(password);
            return Encoding.UTF8.GetString(aes.DecryptCbc(data.AsSpan(16), data.AsSpan(0, 16), PaddingMode.PKCS7));
        }
        catch (FormatException e) { throw new FunctionException(e.Message); }
        catch (CryptographicException e) { throw new FunctionException(e.Message); }
    }

    private static byte[] KeyFrom(string password)
    {
        var key = new byte[32];
        var bytes = Encoding.UTF8.GetBytes(password);
        Array.Copy(bytes, key, Math.Min(bytes.Length, 32));
        return key;
    }
}
