using System.CommandLine;
using Grpc.Core;
using Grpc.Net.Client;

namespace GitOps.Cli.Client;

/// <summary>Where the controller is and how to authenticate: flags, then environment (GITOPS_SERVER,
/// GITOPS_TOKEN, GITOPS_PLAINTEXT), then the config file (~/.config/gitops/config), then defaults.</summary>
internal sealed record Connection(string Server, string? Token, bool Plaintext, bool Insecure)
{
    public const string DefaultServer = "127.0.0.1:9090";

    public static Option<string?> ServerOption { get; } = new("--server") { Description = "Controller gRPC address HOST:PORT (env GITOPS_SERVER; default 127.0.0.1:9090)", Recursive = true };
    public static Option<string?> TokenOption { get; } = new("--token") { Description = "Bearer token (env GITOPS_TOKEN)", Recursive = true };
    public static Option<bool> PlaintextOption { get; } = new("--plaintext") { Description = "Use plain HTTP/2 without TLS (the default for loopback addresses)", Recursive = true };
    public static Option<bool> InsecureOption { get; } = new("--insecure") { Description = "TLS without verifying the server certificate", Recursive = true };

    public static Connection From(ParseResult parse)
    {
        var file = ConfigFile.Load();
        var server = parse.GetValue(ServerOption) ?? Env("GITOPS_SERVER") ?? file.GetValueOrDefault("server") ?? DefaultServer;
        var token = parse.GetValue(TokenOption) ?? Env("GITOPS_TOKEN") ?? file.GetValueOrDefault("token");
        // An explicit scheme decides; otherwise loopback defaults to h2c, anything else to TLS.
        var plaintext = server.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? false
            : server.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
              || parse.GetValue(PlaintextOption) || Env("GITOPS_PLAINTEXT") is "1" or "true"
              || file.GetValueOrDefault("plaintext") == "true" || IsLoopback(server);
        return new Connection(server, token, plaintext, parse.GetValue(InsecureOption));
    }

    public GrpcChannel OpenChannel()
    {
        var address = Server.Contains("://", StringComparison.Ordinal) ? Server : (Plaintext ? "http://" : "https://") + Server;
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), EnableMultipleHttp2Connections = true };
        if (Insecure)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }

        var options = new GrpcChannelOptions { HttpHandler = handler, MaxReceiveMessageSize = 64 * 1024 * 1024 };
        if (Token is { Length: > 0 } token)
        {
            var credentials = CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("authorization", "Bearer " + token);
                return Task.CompletedTask;
            });
            options.Credentials = Plaintext
                ? ChannelCredentials.Create(ChannelCredentials.Insecure, credentials)
                : ChannelCredentials.Create(new SslCredentials(), credentials);
            options.UnsafeUseInsecureChannelCallCredentials = Plaintext;
        }

        return GrpcChannel.ForAddress(address, options);
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    private static bool IsLoopback(string server)
    {
        var host = server.Contains("://", StringComparison.Ordinal) ? new Uri(server).Host : server.Split(':')[0];
        return host is "127.0.0.1" or "localhost" or "[::1]" or "::1";
    }
}

/// <summary>`key: value` lines in $GITOPS_CONFIG or ~/.config/gitops/config.</summary>
internal static class ConfigFile
{
    public static IReadOnlyDictionary<string, string> Load()
    {
        var path = Environment.GetEnvironmentVariable("GITOPS_CONFIG")
                   ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "gitops", "config");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return values;
        }

        foreach (var line in File.ReadLines(path))
        {
            var trimmed = line.Trim();
            var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
            if (trimmed.StartsWith('#') || colon <= 0)
            {
                continue;
            }

            values[trimmed[..colon].Trim()] = trimmed[(colon + 1)..].Trim().Trim('"');
        }

        return values;
    }
}
