using Grpc.Core;
using V1 = GitOps.Api.V1;

namespace GitOps.Controller.Api;

/// <summary>gitops.v1.SessionService: the caller's grant, as TokenAuthInterceptor resolved it, so a client offers
/// only what the token may do (the server still checks every call).</summary>
internal sealed class SessionGrpcService(TokenRegistry tokens) : V1.SessionService.SessionServiceBase
{
    public override Task<V1.UserInfo> GetUserInfo(V1.UserInfoRequest request, ServerCallContext context)
    {
        var grant = context.UserState.TryGetValue(TokenAuthInterceptor.GrantKey, out var value) && value is ApiGrant g
            ? g
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "not authenticated"));
        var info = new V1.UserInfo
        {
            Subject = grant.Subject,
            Role = grant.Role switch
            {
                ApiRole.Admin => V1.Role.Admin,
                ApiRole.Approver => V1.Role.Approver,
                _ => V1.Role.ReadOnly,
            },
            AllApps = grant.Apps is null,
            // Who may approve which pipeline: admins all, approvers theirs, read-only tokens none.
            AllPipelines = grant.Role == ApiRole.Admin || (grant.Role == ApiRole.Approver && grant.Pipelines is null),
            AuthEnabled = tokens.Enabled,
        };
        if (grant.Apps is { } apps)
        {
            info.Apps.AddRange(apps.Order(StringComparer.Ordinal));
        }

        if (grant.Role == ApiRole.Approver && grant.Pipelines is { } pipelines)
        {
            info.Pipelines.AddRange(pipelines.Order(StringComparer.Ordinal));
        }

        return Task.FromResult(info);
    }
}
