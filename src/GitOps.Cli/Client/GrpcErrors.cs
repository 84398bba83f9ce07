using GitOps.Api.V1;
using Grpc.Core;

namespace GitOps.Cli.Client;

/// <summary>Runs one call against the controller and turns gRPC failures into one clear line and an exit
/// code (2+), never a stack trace.</summary>
internal static class GrpcErrors
{
    public static Task<int> RunAsync(Connection connection,
        Func<ApplicationService.ApplicationServiceClient, Task<int>> action) =>
        RunAsync(connection, channel => new ApplicationService.ApplicationServiceClient(channel), action);

    public static async Task<int> RunAsync<TClient>(Connection connection, Func<Grpc.Net.Client.GrpcChannel, TClient> client,
        Func<TClient, Task<int>> action)
    {
        try
        {
            using var channel = connection.OpenChannel();
            return await action(client(channel));
        }
        catch (RpcException e)
        {
            await Console.Error.WriteLineAsync("error: " + Describe(e, connection));
            return e.StatusCode switch
            {
                StatusCode.Unauthenticated or StatusCode.PermissionDenied => 4,
                StatusCode.NotFound => 5,
                StatusCode.Unavailable => 3,
                _ => ExitCodes.Error,
            };
        }
    }

    private static string Describe(RpcException e, Connection connection) => e.StatusCode switch
    {
        StatusCode.Unavailable => $"cannot reach the controller at {connection.Server}: {Inner(e)} (check --server / GITOPS_SERVER)",
        StatusCode.Unauthenticated => $"not authenticated: {e.Status.Detail}",
        StatusCode.PermissionDenied => $"permission denied: {e.Status.Detail}",
        StatusCode.DeadlineExceeded => "the controller did not answer in time",
        _ => e.Status.Detail,
    };

    private static string Inner(RpcException e)
    {
        var inner = e.Status.DebugException ?? e.InnerException;
        while (inner?.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner?.Message ?? e.Status.Detail;
    }
}
