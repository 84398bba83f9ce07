using GitOps.Controller.Api;
using Grpc.Core;
using Grpc.Core.Interceptors;
using V1 = GitOps.Api.V1;

namespace GitOps.Controller.HighAvailability;

/// <summary>
/// Followers serve the read API but refuse calls that change anything (sync, pause, resume, rollback,
/// refresh) with FAILED_PRECONDITION "not the leader", naming the leader so a client can go there; with
/// sharding, a replica refuses them for apps of another shard. Under dynamic sharding (--shards) an app's writes
/// go to the replica holding its shard now and pipeline writes to the holder of shard 0 (which drives the
/// pipelines); the refusal names the holder. Refusing rather than forwarding keeps the replica free of
/// credentials and of the other replicas' addresses.
/// </summary>
internal sealed class LeaderOnlyInterceptor(Leadership leadership, ShardFilter shard, ShardOwnership shards) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (RpcMethods.IsControllerApi(context.Method) && !RpcMethods.IsReadOnly(context.Method))
        {
            if (shards.Enabled)
            {
                RequireShardHolder(AppName(request), RpcMethods.Name(context.Method));
            }
            else if (!leadership.IsLeader)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"not the leader: {RpcMethods.Name(context.Method)} must go to the leader ({leadership.Holder ?? "unknown"})"));
            }
            else if (AppName(request) is { } app && !shard.Owns(app))
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"application '{app}' belongs to shard {ShardFilter.ShardOf(app, shard.Count)}/{shard.Count}, not to this replica's {shard.Index}/{shard.Count}"));
            }
        }

        return continuation(request, context);
    }

    private void RequireShardHolder(string? app, string method)
    {
        var target = app is null ? 0 : ShardFilter.ShardOf(app, shards.Count);
        if (shards.Holds(target))
        {
            return;
        }

        var what = app is null ? $"{method} (pipelines are driven by the holder of shard 0/{shards.Count})" : $"application '{app}' (shard {target}/{shards.Count})";
        throw new RpcException(new Status(StatusCode.FailedPrecondition,
            $"not this replica's shard: {what} must go to {shards.HolderOf(target) ?? "its holder (none right now)"}; this replica holds shard(s) {shards.Describe()}"));
    }

    private static string? AppName(object? request) => request switch
    {
        V1.AppRef r => r.Name,
        V1.SyncRequest s => s.Name,
        V1.RollbackRequest r => r.Name,
        _ => null,
    };
}
