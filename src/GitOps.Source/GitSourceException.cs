namespace GitOps.Source;

/// <summary>What went wrong, so callers can tell a user error from a transient one.</summary>
public enum GitSourceErrorKind
{
    InvalidUrl,
    UnsupportedTransport,
    Authentication,
    Network,
    RevisionNotFound,
    PathNotFound,
    UnsafeContent,
    TooLarge,
    Conflict,
    PushRejected,

    /// <summary>A fetched document (a chart repository index, a registry manifest) is malformed or not what was asked.</summary>
    InvalidContent,
    Internal,
}

/// <summary>A source-stage failure. Messages never contain credentials.</summary>
public sealed class GitSourceException : Exception
{
    public GitSourceException(GitSourceErrorKind kind, string message, Exception? inner = null)
        : base(RepositoryUrl.Mask(message), inner)
    {
        Kind = kind;
    }

    public GitSourceException()
        : this(GitSourceErrorKind.Internal, "git source error")
    {
    }

    public GitSourceException(string message)
        : this(GitSourceErrorKind.Internal, message)
    {
    }

    public GitSourceException(string message, Exception innerException)
        : this(GitSourceErrorKind.Internal, message, innerException)
    {
    }

    public GitSourceErrorKind Kind { get; }
}
