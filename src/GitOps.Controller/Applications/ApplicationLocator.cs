using System.Collections.Concurrent;

namespace GitOps.Controller.Applications;

/// <summary>The Application object behind an app name (CRD mode).</summary>
internal sealed record ApplicationRef(string Namespace, string Name, string Uid);

/// <summary>Maps app names to the Application objects that declare them, so the status store and the event
/// recorder know where to write. App names are unique across the watched namespaces: the first object to claim
/// a name owns it until it is deleted (the source claims the oldest first on every list).</summary>
internal sealed class ApplicationLocator
{
    private readonly ConcurrentDictionary<string, ApplicationRef> byName = new();

    public ApplicationRef? Find(string app) => byName.GetValueOrDefault(app);

    public IReadOnlyCollection<ApplicationRef> All => byName.Values.ToList();

    /// <summary>Claims the name for this object; false when an object in another namespace already owns it.</summary>
    public bool TryClaim(ApplicationRef reference)
    {
        var owner = byName.AddOrUpdate(reference.Name, reference,
            (_, existing) => existing.Namespace == reference.Namespace ? reference : existing);
        return owner == reference;
    }

    /// <summary>Releases the name if this object (by namespace) owns it.</summary>
    public bool Release(string ns, string name) =>
        byName.TryGetValue(name, out var owner) && owner.Namespace == ns
        && byName.TryRemove(new KeyValuePair<string, ApplicationRef>(name, owner));
}
