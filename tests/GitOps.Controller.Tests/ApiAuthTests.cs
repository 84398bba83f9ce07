using GitOps.Api.V1;
using GitOps.Testing;
using Grpc.Core;
using Grpc.Net.Client;

namespace GitOps.Controller.Tests;

/// <summary>Bearer tokens with roles: read-only tokens read, admin tokens act; others are refused.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class ApiAuthTests(LocalClusterFixture cluster)
{
    private const string Tokens = """
        tokens:
          - name: viewer
            token: read-token-123
            role: read-only
          - name: ops
            token: admin-token-456
            role: admin
            apps: [visible]
        """;

    [Fact]
    public async Task Tokens_are_checked_by_role_and_app_scope()
    {
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("v1", ("app/a.yaml", TestManifests.ConfigMap("a", "v1")));
        repo.Push("main");
        var apps = TestManifests.Application("visible", repo.FileUrl, "app", "auth-a", automated: false)
                   + "---\n" + TestManifests.Application("hidden", repo.FileUrl, "app", "auth-b", automated: false);
        await using var controller = await ControllerHarness.StartAsync(cluster, apps, Tokens);

        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => controller.Client.ListAsync(new ListRequest()).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated,
            () => controller.Client.ListAsync(new ListRequest(), Bearer("wrong")).ResponseAsync);

        var viewerList = await controller.Client.ListAsync(new ListRequest(), Bearer("read-token-123"));
        Assert.Equal(["hidden", "visible"], viewerList.Applications.Select(a => a.Name).Order());
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied,
            () => controller.Client.PauseAsync(new AppRef { Name = "visible" }, Bearer("read-token-123")).ResponseAsync);

        var opsList = await controller.Client.ListAsync(new ListRequest(), Bearer("admin-token-456"));
        Assert.Equal(["visible"], opsList.Applications.Select(a => a.Name));
        await RpcAssert.ThrowsAsync(StatusCode.NotFound,
            () => controller.Client.PauseAsync(new AppRef { Name = "hidden" }, Bearer("admin-token-456")).ResponseAsync);
        var paused = await controller.Client.PauseAsync(new AppRef { Name = "visible" }, Bearer("admin-token-456"));
        Assert.True(paused.Paused);
    }

    private static Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };
}
