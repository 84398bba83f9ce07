using GitOps.Rendering;

namespace GitOps.Controller.Reconcile;

internal enum AppError { NotFound, InvalidArgument, FailedPrecondition }

/// <summary>An operation the user asked for cannot be done; the API maps the kind to a gRPC status code.</summary>
internal sealed class AppOperationException(AppError kind, string message) : Exception(message)
{
    public AppError Kind { get; } = kind;
}

internal static class ErrorMessages
{
    /// <summary>A one-line message a user can act on (a render error already names file and line).</summary>
    public static string Describe(Exception e) => e switch
    {
        RenderException r => $"render: {r.Message}",
        AggregateException { InnerExceptions.Count: 1 } a => Describe(a.InnerExceptions[0]),
        _ => e.Message,
    };
}
