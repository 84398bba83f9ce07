using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;

namespace GitOps.Controller.Ui;

/// <summary>
/// The web UI: the front end built from ui/ (Vite) and embedded into this assembly at build time, served on the
/// HTTP port at `/`. It talks only to the JSON routes of the gRPC API (/api/v1/...), under the same tokens, so it
/// needs nothing else from the server. Every response carries a strict Content-Security-Policy: scripts, styles
/// and connections only from this origin, nothing inline, no framing.
/// </summary>
internal static class WebUi
{
    private const string ResourcePrefix = "ui/";

    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>Maps `/` and the UI's files; `--ui=false` (Ui:Enabled=false) leaves them out.</summary>
    public static void MapWebUi(this WebApplication app)
    {
        var files = LoadFiles(typeof(WebUi).Assembly);
        if (files.Count == 0)
        {
            app.Logger.LogWarning("The web UI was not built into this binary (no npm at build time); / serves a notice");
        }

        app.MapGet("/", (HttpContext http) => Serve(http, files, "index.html"));
        app.MapGet("/assets/{*path}", (HttpContext http, string path) => Serve(http, files, "assets/" + path));
        app.MapGet("/favicon.svg", (HttpContext http) => Serve(http, files, "favicon.svg"));
    }

    private static IResult Serve(HttpContext http, FrozenDictionary<string, UiFile> files, string path)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        if (!files.TryGetValue(path, out var file))
        {
            return path == "index.html"
                ? Results.Text("The web UI is not part of this build (it was built without npm).", "text/plain")
                : Results.NotFound();
        }

        // Vite names assets by content hash, so they never change; index.html must be revalidated to pick up a new build.
        headers.CacheControl = path.StartsWith("assets/", StringComparison.Ordinal) ? "public, max-age=31536000, immutable" : "no-cache";
        return Results.Bytes(file.Content, file.ContentType, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue(file.ETag));
    }

    private static FrozenDictionary<string, UiFile> LoadFiles(Assembly assembly)
    {
        var types = new FileExtensionContentTypeProvider();
        var files = new Dictionary<string, UiFile>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var path = name[ResourcePrefix.Length..];
            var type = types.TryGetContentType(path, out var t) ? t : "application/octet-stream";
            if (type.StartsWith("text/", StringComparison.Ordinal) || type is "application/javascript" or "text/javascript" or "image/svg+xml")
            {
                type += "; charset=utf-8";
            }

            files[path] = new UiFile(content, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record UiFile(byte[] Content, string ContentType, string ETag);
}
