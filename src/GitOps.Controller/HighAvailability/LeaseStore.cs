using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace GitOps.Controller.HighAvailability;

/// <summary>The coordination.k8s.io/v1 Leases of one group (a label), with optimistic concurrency: a write made
/// from a stale copy (another writer changed the resourceVersion) is refused, and reported as null.</summary>
internal interface ILeaseStore
{
    Task<IReadOnlyList<V1Lease>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Null when a Lease of that name already exists.</summary>
    Task<V1Lease?> TryCreateAsync(V1Lease lease, CancellationToken cancellationToken);

    /// <summary>Null when the Lease changed since it was read (or is gone).</summary>
    Task<V1Lease?> TryReplaceAsync(V1Lease lease, CancellationToken cancellationToken);

    /// <summary>Deletes the Lease if it is still at that resourceVersion.</summary>
    Task DeleteAsync(string name, string resourceVersion, CancellationToken cancellationToken);
}

internal sealed class KubernetesLeaseStore(IKubernetes client, string leaseNamespace, string group) : ILeaseStore
{
    public const string GroupLabel = "gitops.dev/lease-group";

    public string Namespace => leaseNamespace;

    public async Task<IReadOnlyList<V1Lease>> ListAsync(CancellationToken cancellationToken) =>
        (await client.CoordinationV1.ListNamespacedLeaseAsync(leaseNamespace, labelSelector: $"{GroupLabel}={group}",
            cancellationToken: cancellationToken)).Items.ToList();

    public async Task<V1Lease?> TryCreateAsync(V1Lease lease, CancellationToken cancellationToken)
    {
        lease.Metadata.Labels = new Dictionary<string, string>(lease.Metadata.Labels ?? new Dictionary<string, string>())
        {
            [GroupLabel] = group,
        };
        try
        {
            return await client.CoordinationV1.CreateNamespacedLeaseAsync(lease, leaseNamespace, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    public async Task<V1Lease?> TryReplaceAsync(V1Lease lease, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, lease.Metadata.Name, leaseNamespace,
                cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string name, string resourceVersion, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoordinationV1.DeleteNamespacedLeaseAsync(name, leaseNamespace,
                new V1DeleteOptions { Preconditions = new V1Preconditions { ResourceVersion = resourceVersion } },
                cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            // Renewed or deleted meanwhile: nothing to do.
        }
    }
}
