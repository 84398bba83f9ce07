using GitOps.Controller.Applications;
using GitOps.Controller.HighAvailability;

namespace GitOps.Controller.Hosting;

/// <summary>/readyz: 503 until the replica knows its role and has read its applications (the file, or the first
/// list of Application objects), and while stopping; 200 otherwise (followers are ready too: they serve the
/// read API). The body and the X-Leader header tell the role.</summary>
internal static class Readiness
{
    public static IResult Check(Leadership leadership, ApplicationRegistry registry, IHostApplicationLifetime lifetime,
        HttpContext context)
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
        return Results.Text(leadership.IsLeader
            ? "ok: leader"
            : $"ok: follower (leader: {leadership.Holder ?? "unknown"})");
    }
}
