using GitOps.Applications;
using GitOps.Engine.Diff;
using GitOps.Rendering;
using GitOps.Source;

namespace GitOps.Cli.Preview;

/// <summary>
/// Renders every app of one repository whose output can change, at two commits, through snapshots of the two
/// trees and the controller's renderers, and compares the two renders object by object. With
/// <paramref name="live"/> (`--live`), each such app's head is compared against the live cluster instead, by the
/// controller.
/// </summary>
internal sealed class Previewer(ManifestRenderer renderer, ILiveComparison? live = null)
{
    public async Task<PreviewReport> RunAsync(PreviewRepository repository, string baseRef, string headRef,
        IReadOnlyList<Application> apps, CancellationToken cancellationToken)
    {
        var baseRevision = await repository.ResolveAsync(baseRef, cancellationToken);
        var headRevision = await repository.ResolveAsync(headRef, cancellationToken);
        var changed = await repository.GetChangedPathsAsync(baseRevision.Sha, headRevision.Sha, cancellationToken);
        var ofRepository = apps.Where(a => !a.Spec.Source.IsChart && repository.IsSourceOf(a.Spec.Source.RepoUrl))
            .OrderBy(a => a.Name, StringComparer.Ordinal).ToList();

        using var baseSnapshot = await repository.SnapshotAsync(baseRevision.Sha, cancellationToken);
        using var headSnapshot = await repository.SnapshotAsync(headRevision.Sha, cancellationToken);
        var previews = new List<AppPreview>();
        // One index of the changed directories for all apps, not one per app.
        var changedDirectories = new ChangedDirectories(changed);
        foreach (var app in ofRepository.Where(a => AffectedApps.MayChange(a, changedDirectories, [baseSnapshot.Root, headSnapshot.Root])))
        {
            previews.Add(live is null
                ? await PreviewAsync(app, baseSnapshot.Root, headSnapshot.Root, cancellationToken)
                : await LivePreviewAsync(live, app, headRevision.Sha, cancellationToken));
        }

        return new PreviewReport(repository.Display, baseRevision, headRevision, ofRepository.Count, previews) { Live = live is not null };
    }

    private static async Task<AppPreview> LivePreviewAsync(ILiveComparison live, Application app, string headSha,
        CancellationToken cancellationToken)
    {
        var result = await live.CompareAsync(app.Name, headSha, cancellationToken);
        var path = app.Spec.Source.Path;
        return result.Error is { } error
            ? new AppPreview(app.Name, path, AppPreviewOutcome.Error, result.Changes, error)
            : new AppPreview(app.Name, path, result.Changes.Count == 0 ? AppPreviewOutcome.Unchanged : AppPreviewOutcome.Changed, result.Changes);
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
}
