using GitOps.Api.V1;
using GitOps.Engine;
using GitOps.Engine.Diff;
using Grpc.Core;
using Application = GitOps.Applications.Application;
using ApplicationDocuments = GitOps.Applications.ApplicationDocuments;

namespace GitOps.Cli.Preview;

/// <summary>`--server`: the applications as the controller declares them (their whole spec, so the preview renders
/// what the controller renders), and with `--live` the controller's own comparison of a revision against the
/// cluster. The token's scope applies: a token limited to some apps or projects previews only those.</summary>
internal sealed class ControllerApps(ApplicationService.ApplicationServiceClient client) : ILiveComparison
{
    public async Task<IReadOnlyList<Application>> ListAsync(CancellationToken cancellationToken)
    {
        var response = await client.ListAsync(new ListRequest { IncludeSpec = true }, cancellationToken: cancellationToken);
        return response.Applications.Select(a => a.SpecJson.Length == 0
                ? throw new InvalidDataException($"the controller sent no spec for application '{a.Name}' (a controller older than this CLI?)")
                : ApplicationDocuments.FromSpecJson(a.Name, a.SpecJson, $"controller application '{a.Name}'"))
            .ToList();
    }

    public async Task<LiveComparison> CompareAsync(string app, string sha, CancellationToken cancellationToken)
    {
        DiffResponse diff;
        try
        {
            diff = await client.DiffAsync(new DiffRequest { Name = app, Revision = sha }, cancellationToken: cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.FailedPrecondition or StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            // This app's problem (the controller cannot fetch the commit, the render failed): report it, go on.
            return new LiveComparison([], $"live: {e.Status.Detail}");
        }

        var changes = new List<ObjectChange>();
        var errors = new List<string>();
        foreach (var r in diff.Resources)
        {
            var key = new ResourceKey(r.Group, r.Kind, r.Namespace.Length > 0 ? r.Namespace : null, r.Name);
            if (r.Extraneous)
            {
                // An object marked prune-disabled stays: not part of what a sync does.
                if (r.Message != "prune disabled")
                {
                    changes.Add(new ObjectChange(key, ObjectChangeType.Removed, ""));
                }
            }
            else if (r.UnifiedDiff.Length == 0 && r.Message.Length > 0)
            {
                // No diff but a message: the object cannot be compared (the server's dry run refused it, another
                // app owns it, it is outside the project) — a sync of this revision would fail.
                errors.Add($"{key}: {r.Message}");
            }
            else if (r.UnifiedDiff.Length > 0)
            {
                changes.Add(new ObjectChange(key, r.Missing ? ObjectChangeType.Added : ObjectChangeType.Changed, r.UnifiedDiff));
            }
        }

        return new LiveComparison(changes, errors.Count > 0 ? "live: " + string.Join("\n", errors) : null);
    }
}
