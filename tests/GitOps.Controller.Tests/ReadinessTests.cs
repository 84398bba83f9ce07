using GitOps.Applications;
using GitOps.Controller.Applications;
using GitOps.Controller.HighAvailability;
using GitOps.Controller.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Hosting;

namespace GitOps.Controller.Tests;

/// <summary>/readyz stays 503 until the applications have been read: an empty registry before the first list of
/// Application objects means "not known yet", and a replica serving it would answer List with nothing.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public void Not_ready_until_the_applications_are_read()
    {
        var leadership = new Leadership(new ControllerOptions());
        var shards = new ShardOwnership(new ControllerOptions(), TimeProvider.System);
        var registry = new ApplicationRegistry();
        var lifetime = new Lifetime();

        var before = Assert.IsType<ContentHttpResult>(Readiness.Check(leadership, shards, registry, lifetime, new DefaultHttpContext()));
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, before.StatusCode);
        Assert.Contains("applications not read yet", before.ResponseContent, StringComparison.Ordinal);

        registry.MarkLoaded();
        var context = new DefaultHttpContext();
        var after = Assert.IsType<ContentHttpResult>(Readiness.Check(leadership, shards, registry, lifetime, context));
        Assert.Null(after.StatusCode);
        Assert.Equal("true", context.Response.Headers["X-Leader"]);
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
