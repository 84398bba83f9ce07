namespace GitOps.Controller.State;

/// <summary>Where app status and history live: the local directory store, or the Application CRD's status.</summary>
internal interface IStateStore
{
    Task<AppStatus> GetAsync(string app, CancellationToken cancellationToken);

    Task SaveAsync(string app, AppStatus status, CancellationToken cancellationToken);
}
