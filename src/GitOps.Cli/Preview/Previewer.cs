using GitOps.Applications;
using GitOps.Engine.Diff;
using GitOps.Rendering;
using GitOps.Source;

namespace GitOps.Cli.Preview;

/// <summary>
/// Renders every app of one repository whose output can change, at two commits, through the source cache's
/// snapshots and the controller's renderers, and compares the two renders object by object.
/// </summary>
internal sealed class Previewer(IGitSource git, ManifestRenderer renderer)
{
    public async Task<PreviewReport> RunAsync(PreviewRepository repository, string baseRef, string headRef,
        IReadOnlyList<Application> apps, CancellationToken cancellationToken)
    {
        var url = repository.FetchUrl;
        var baseRevision = await ResolveAsync(repository, baseRef, cancellationToken);
        var headRevision = await ResolveAsync(repository, headRef, cancellationToken);
        var changed = await git.GetChangedPathsAsync(url, baseRevision.Sha, headRevision.Sha, cancellationToken);
        var ofRepository = apps.Where(a => !a.Spec.Source.IsChart && repository.IsSourceOf(a.Spec.Source.RepoUrl))
            .OrderBy(a => a.Name, StringComparer.Ordinal).ToList();

        using var baseSnapshot = await git.GetSnapshotAsync(url, baseRevision.Sha, subPath: null, cancellationToken);
        using var headSnapshot = await git.GetSnapshotAsync(url, headRevision.Sha, subPath: null, cancellationToken);
        var previews = new List<AppPreview>();
        foreach (var app in ofRepository.Where(a => AffectedApps.MayChange(a, changed, [baseSnapshot.Root, headSnapshot.Root])))
        {
            previews.Add(await PreviewAsync(app, baseSnapshot.Root, headSnapshot.Root, cancellationToken));
        }

        return new PreviewReport(repository.Display, baseRevision, headRevision, ofRepository.Count, previews);
    }

    private async Task<AppPreview> PreviewAsync(Application app, string baseRoot, string headRoot,
        CancellationToken cancellationToken)
    {
        var path = app.Spec.Source.Path;
        // A path that does not exist renders to nothing: an app added (or removed) by this change shows all its
        // objects added (or removed), as the controller would create (or prune) them.
        var before = await RenderAsync(app, baseRoot, "base", cancellationToken);
        var after = await RenderAsync(app, headRoot, "head", cancellationToken);
        if ((before.Error ?? after.Error) is { } error)
        {
            return new AppPreview(app.Name, path, AppPreviewOutcome.Error, [], error);
        }

        var changes = ManifestSetDiff.Compare(before.Objects, after.Objects, "base", "head");
        return new AppPreview(app.Name, path, changes.Count == 0 ? AppPreviewOutcome.Unchanged : AppPreviewOutcome.Changed, changes);
    }

    private async Task<(IReadOnlyList<System.Text.Json.Nodes.JsonObject> Objects, string? Error)> RenderAsync(
        Application app, string snapshotRoot, string side, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Path.Combine(snapshotRoot, app.Spec.Source.Path)))
        {
            return ([], null);
        }

        try
        {
            var result = await renderer.RenderAsync(ApplicationRender.RequestFor(app, snapshotRoot), cancellationToken);
            return (result.Manifests.Select(m => m.Object).ToList(), null);
        }
        catch (RenderException e)
        {
            // Paths in the message are the snapshot's; show them repository-relative.
            return ([], $"{side}: {e.Message.Replace(snapshotRoot + "/", "", StringComparison.Ordinal)}");
        }
    }

    private async Task<PreviewRevision> ResolveAsync(PreviewRepository repository, string revision,
        CancellationToken cancellationToken)
    {
        var resolved = await git.ResolveAsync(repository.FetchUrl, repository.Resolve(revision), refresh: true, cancellationToken);
        return new PreviewRevision(revision, resolved.Sha, resolved.Subject);
    }
}
