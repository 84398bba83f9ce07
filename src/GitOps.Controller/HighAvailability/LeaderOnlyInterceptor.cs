using GitOps.Controller.Api;
using Grpc.Core;
using Grpc.Core.Interceptors;
using V1 = GitOps.Api.V1;

namespace GitOps.Controller.HighAvailability;

/// <summary>
/// Followers serve the read API but refuse calls that change anything (sync, pause, resume, rollback,
/// refresh) with FAILED_PRECONDITION "not the leader", naming the leader so a client can go there; with
/// sharding, a replica refuses them for apps of another shard. Refusing rather than forwarding keeps the
/// follower free of credentials and of the leader's address.
/// </summary>
internal sealed class LeaderOnlyInterceptor(Leadership leadership, ShardFilter shard) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (RpcMethods.IsControllerApi(context.Method) && !RpcMethods.IsReadOnly(context.Method))
        {
            if (!leadership.IsLeader)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"not the leader: {RpcMethods.Name(context.Method)} must go to the leader ({leadership.Holder ?? "unknown"})"));
            }

            if (AppName(request) is { } app && !shard.Owns(app))
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"application '{app}' belongs to shard {ShardFilter.ShardOf(app, shard.Count)}/{shard.Count}, not to this replica's {shard.Index}/{shard.Count}"));
            }
        }

        return continuation(request, context);
    }

    private static string? AppName(object? request) => request switch
    {
        V1.AppRef r => r.Name,
        V1.SyncRequest s => s.Name,
        V1.RollbackRequest r => r.Name,
        _ => null,
    };
}
