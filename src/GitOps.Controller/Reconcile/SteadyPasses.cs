using System.Collections.Concurrent;
using GitOps.Controller.Applications;
using GitOps.Engine;

namespace GitOps.Controller.Reconcile;

/// <summary>What a pass rendered from and compared against: the app's spec and project (by reference: the
/// registry replaces them when they change), the commit, and the version of the app's live objects.</summary>
internal sealed record SteadyPass(Application App, Project? Project, string Sha, long LiveVersion)
{
    public bool SameAs(SteadyPass other) => Sha == other.Sha && SameButCommit(other);

    public bool SameButCommit(SteadyPass other) =>
        ReferenceEquals(App, other.App) && ReferenceEquals(Project, other.Project) && LiveVersion == other.LiveVersion;
}

/// <summary>
/// Per app, the last pass that found everything in sync, with its inputs. A pass with the same inputs would
/// render the same objects (a render is a function of commit and spec) and compare them with the same live
/// objects, so it can take that comparison instead of rendering and comparing again: the steady state then
/// costs a revision lookup per app. Only all-in-sync comparisons are kept (nothing missing, extraneous, shared,
/// unadopted or outside the project): anything else may depend on objects the watches do not see.
/// </summary>
internal sealed class SteadyPasses
{
    // DirectoryId: the app's directory id at Inputs.Sha once a pass across commits looked it up, so that the next
    // commit's pass asks git only for the new commit's.
    private readonly ConcurrentDictionary<string, (SteadyPass Inputs, Comparison Comparison, string? DirectoryId)> passes = new();

    public Comparison? Find(SteadyPass inputs) =>
        passes.TryGetValue(inputs.App.Name, out var last) && last.Inputs.SameAs(inputs) ? last.Comparison : null;

    /// <summary>
    /// The last steady pass's comparison when only the commit moved and the app's directory is the same at both
    /// commits. For an app whose render reads nothing but its own directory (and its spec) that render is the same
    /// too: a commit to a monorepo then costs the apps it touched, not a render and compare of every app on the next
    /// interval. <paramref name="directoryId"/> gives the directory's id at a commit (null: none).
    /// </summary>
    public async Task<Comparison?> FindAcrossCommitsAsync(SteadyPass inputs, Func<string, Task<string?>> directoryId)
    {
        if (!passes.TryGetValue(inputs.App.Name, out var last) || last.Inputs.Sha == inputs.Sha
            || !last.Inputs.SameButCommit(inputs))
        {
            return null;
        }

        var before = last.DirectoryId ?? await directoryId(last.Inputs.Sha);
        if (before is null || before != await directoryId(inputs.Sha))
        {
            return null;
        }

        passes[inputs.App.Name] = (inputs, last.Comparison, before);
        return last.Comparison;
    }

    public void Record(SteadyPass inputs, Comparison comparison)
    {
        if (IsSteady(comparison))
        {
            // A pass at the commit whose directory id is known keeps it.
            passes.AddOrUpdate(inputs.App.Name, (inputs, comparison, null),
                (_, last) => (inputs, comparison, last.Inputs.Sha == inputs.Sha ? last.DirectoryId : null));
        }
        else
        {
            Forget(inputs.App.Name);
        }
    }

    public void Forget(string app) => passes.TryRemove(app, out _);

    private static bool IsSteady(Comparison comparison) =>
        comparison.Resources.All(r => r.Status == SyncState.Synced && !r.Missing && !r.Extraneous)
        && comparison.Shared.Count == 0 && comparison.Unadopted.Count == 0 && comparison.OutsideProject.Count == 0;
}
