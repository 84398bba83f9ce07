namespace GitOps.Source.Tests;

/// <summary>The caller's credentials source, as the controller's Secret lookup would answer.</summary>
internal sealed class FixedCredentials(GitCredentials credentials) : ICredentialsSource
{
    public ValueTask<GitCredentials?> GetAsync(RepositoryUrl repository, CancellationToken cancellationToken) =>
        ValueTask.FromResult<GitCredentials?>(credentials);
}
