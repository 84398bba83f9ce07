using GitOps.Controller.Api;
using V1 = GitOps.Api.V1;

namespace GitOps.Controller.Tests;

/// <summary>The one read-only classification (used by token auth and by followers) matches the RPCs of the
/// contract: a renamed read RPC would otherwise be refused to read-only tokens and followers.</summary>
public sealed class RpcMethodsTests
{
    private static string Full(string method) => $"/{V1.ApplicationService.Descriptor.FullName}/{method}";

    [Fact]
    public void Exactly_the_reading_rpcs_of_the_contract_are_read_only()
    {
        var rpcs = V1.ApplicationService.Descriptor.Methods.Select(m => m.Name).ToList();

        Assert.Equal(["Diff", "Get", "History", "List", "Manifests", "Watch"],
            rpcs.Where(m => RpcMethods.IsReadOnly(Full(m))).Order(StringComparer.Ordinal));
        Assert.Equal(["Pause", "Refresh", "Resume", "Rollback", "Sync"],
            rpcs.Where(m => !RpcMethods.IsReadOnly(Full(m))).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Health_and_reflection_are_not_the_controller_api()
    {
        Assert.True(RpcMethods.IsControllerApi(Full("Sync")));
        Assert.False(RpcMethods.IsControllerApi("/grpc.health.v1.Health/Check"));
        Assert.Equal("Sync", RpcMethods.Name(Full("Sync")));
    }
}
