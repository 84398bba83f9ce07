using GitOps.Api.V1;
using GitOps.Testing;
using Grpc.Core;

namespace GitOps.Controller.Tests;

/// <summary>Errors echo a bounded part of what the request carried: a 64 KB app name or revision comes back as a
/// short NotFound / FailedPrecondition, not as an oversized trailer the client reports as Unavailable.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class ApiErrorBoundsTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Huge_request_text_is_not_echoed_in_full()
    {
        using var repo = TempGitRepository.Create();
        repo.CommitFiles("v1", ("app/cm.yaml", TestManifests.ConfigMap("bounds", "v1")));
        repo.Push("main");
        await using var controller = await ControllerHarness.StartAsync(cluster,
            TestManifests.Application("bounds", repo.FileUrl, "app", "bounds-ns", automated: false));
        var huge = new string('x', 64 * 1024);

        var notFound = await RpcAssert.ThrowsAsync(StatusCode.NotFound,
            () => controller.Client.GetAsync(new GetRequest { Name = huge }).ResponseAsync);
        Assert.InRange(notFound.Status.Detail.Length, 1, 1024);

        var badRevision = await Assert.ThrowsAsync<RpcException>(
            () => controller.Client.ManifestsAsync(new ManifestsRequest { Name = "bounds", Revision = huge }).ResponseAsync);
        Assert.NotEqual(StatusCode.Unavailable, badRevision.StatusCode);
        Assert.InRange(badRevision.Status.Detail.Length, 1, 4096);
    }
}
