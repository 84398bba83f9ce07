using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Controller.Applications;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace GitOps.Controller.Api;

/// <summary>Read-only reads; Approver reads and approves or rejects promotions (of its pipelines); Admin does all.</summary>
internal enum ApiRole { ReadOnly, Admin, Approver }

/// <summary>A bearer token's grant: a role, optionally limited to some apps and/or some projects, and (approvers)
/// some pipelines.</summary>
internal sealed record ApiGrant(string Subject, ApiRole Role, IReadOnlySet<string>? Apps, IReadOnlySet<string>? Projects = null)
{
    public IReadOnlySet<string>? Pipelines { get; init; }

    public bool CanSee(Application app) =>
        (Apps is null || Apps.Contains(app.Name)) && (Projects is null || Projects.Contains(app.Spec.Project));

    /// <summary>May approve or reject promotions of this pipeline.</summary>
    public bool CanApprove(string pipeline) =>
        Role == ApiRole.Admin || (Role == ApiRole.Approver && (Pipelines is null || Pipelines.Contains(pipeline)));
}

/// <summary>The configured tokens. With none configured, the API is open (only sensible on loopback, which
/// is the default bind; the controller logs a warning).</summary>
internal sealed class TokenRegistry
{
    private readonly IReadOnlyList<(byte[] Hash, ApiGrant Grant)> tokens;

    public TokenRegistry(IEnumerable<(string Token, ApiGrant Grant)> tokens) =>
        this.tokens = tokens.Select(t => (SHA256.HashData(Encoding.UTF8.GetBytes(t.Token)), t.Grant)).ToList();

    public bool Enabled => tokens.Count > 0;

    /// <summary>Tokens file: `tokens: [{name, token, role: admin|read-only|approver, apps: [..], projects: [..], pipelines: [..]}]`.</summary>
    public static TokenRegistry Load(string? path)
    {
        if (path is null)
        {
            return new TokenRegistry([]);
        }

        var entries = new List<(string, ApiGrant)>();
        foreach (var (doc, _) in SimpleYaml.ReadDocuments(File.ReadAllText(path), path))
        {
            foreach (var item in doc["tokens"]?.AsArray() ?? [])
            {
                var token = (string?)item?["token"] ?? throw new InvalidDataException($"{path}: a token entry has no 'token'");
                var role = (string?)item?["role"] switch
                {
                    "admin" => ApiRole.Admin,
                    "approver" => ApiRole.Approver,
                    "read-only" or "readonly" or null => ApiRole.ReadOnly,
                    var other => throw new InvalidDataException($"{path}: unknown role '{other}' (admin, read-only, approver)"),
                };
                var apps = item?["apps"] is JsonArray list ? list.Select(a => (string)a!).ToHashSet() : null;
                var projects = item?["projects"] is JsonArray p ? p.Select(a => (string)a!).ToHashSet() : null;
                var pipelines = item?["pipelines"] is JsonArray names ? names.Select(a => (string)a!).ToHashSet() : null;
                entries.Add((token, new ApiGrant((string?)item?["name"] ?? "token", role, apps, projects) { Pipelines = pipelines }));
            }
        }

        return new TokenRegistry(entries);
    }

    public ApiGrant? Find(string token)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        // Compare hashes in constant time so a token cannot be guessed byte by byte.
        return tokens.FirstOrDefault(t => CryptographicOperations.FixedTimeEquals(t.Hash, hash)).Grant;
    }
}

/// <summary>Authenticates every call by its bearer token and authorises it by role and app scope.</summary>
internal sealed class TokenAuthInterceptor(TokenRegistry registry, ILogger<TokenAuthInterceptor> logger) : Interceptor
{
    public const string GrantKey = "gitops-grant";
    private static readonly ApiGrant Anonymous = new("anonymous", ApiRole.Admin, null);

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    private void Authorize(ServerCallContext context)
    {
        if (!RpcMethods.IsControllerApi(context.Method))
        {
            return; // health and reflection are open
        }

        var grant = Anonymous;
        if (registry.Enabled)
        {
            var header = context.RequestHeaders.GetValue("authorization");
            var token = header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
            if (token is null || registry.Find(token) is not { } found)
            {
                logger.LogWarning("Unauthenticated call to {Method} from {Peer}", context.Method, context.Peer);
                throw new RpcException(new Status(StatusCode.Unauthenticated,
                    token is null ? "missing bearer token (use --token or GITOPS_TOKEN)" : "invalid token"));
            }

            grant = found;
        }

        var method = RpcMethods.Name(context.Method);
        var allowed = grant.Role == ApiRole.Admin || RpcMethods.IsReadOnly(context.Method)
                      || (grant.Role == ApiRole.Approver && RpcMethods.IsApproval(context.Method));
        if (!allowed)
        {
            logger.LogWarning("Denied {Method} to {Subject} ({Role})", context.Method, grant.Subject, grant.Role);
            throw new RpcException(new Status(StatusCode.PermissionDenied, RpcMethods.IsApproval(context.Method)
                ? $"token '{grant.Subject}' cannot approve: {method} needs the approver or admin role"
                : $"token '{grant.Subject}' is {(grant.Role == ApiRole.Approver ? "an approver" : "read-only")}; {method} needs admin"));
        }

        context.UserState[GrantKey] = grant;
    }
}
