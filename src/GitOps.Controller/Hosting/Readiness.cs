using GitOps.Controller.Applications;
using GitOps.Controller.HighAvailability;

namespace GitOps.Controller.Hosting;

/// <summary>/readyz: 503 until the replica knows its role and has read its applications (the file, or the first
/// list of Application objects), and while stopping; 200 otherwise (followers are ready too: they serve the
/// read API). The body and the X-Leader header tell the role; under dynamic sharding (--shards) X-Shards lists the
/// shards this replica holds ("none" when it holds none, like a follower).</summary>
internal static class Readiness
{
    public static IResult Check(Leadership leadership, ShardOwnership shards, ApplicationRegistry registry,
        IHostApplicationLifetime lifetime, HttpContext context)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Results.Text("not ready: stopping", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (!leadership.Settled)
        {
            return Results.Text("not ready: leader election has not settled", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (!registry.Loaded)
        {
            return Results.Text("not ready: applications not read yet", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        context.Response.Headers["X-Leader"] = leadership.IsLeader ? "true" : "false";
        if (shards.Enabled)
        {
            var held = shards.Describe();
            context.Response.Headers["X-Shards"] = held;
            return Results.Text($"ok: holds shard(s) {held} of {shards.Count} ({shards.Members} live replica(s))");
        }

        return Results.Text(leadership.IsLeader
            ? "ok: leader"
            : $"ok: follower (leader: {leadership.Holder ?? "unknown"})");
    }
}
