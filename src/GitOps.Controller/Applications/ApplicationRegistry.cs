using System.Collections.Concurrent;
using GitOps.Source;

namespace GitOps.Controller.Applications;

/// <summary>The applications currently declared (from the local file or the CRD watch).</summary>
internal sealed class ApplicationRegistry
{
    private readonly ConcurrentDictionary<string, Application> apps = new();
    private volatile IReadOnlyDictionary<string, Project> projects = new Dictionary<string, Project>();
    private readonly SourcePathIndex paths = new();

    public event Action<string>? Changed;

    public IReadOnlyList<Application> All => apps.Values.OrderBy(a => a.Name, StringComparer.Ordinal).ToList();

    /// <summary>The declared apps in no particular order, without sorting or copying them (metrics, webhooks:
    /// tens of thousands of apps). Enumerating the dictionary takes no lock; its <c>Values</c> would take every lock
    /// and copy them all.</summary>
    public IEnumerable<Application> Unordered => apps.Select(static entry => entry.Value);

    public Application? Find(string name) => apps.GetValueOrDefault(name);

    /// <summary>The apps a push with these changed paths may affect (see <see cref="SourcePathIndex"/>): a superset
    /// of those it does, found without testing every app.</summary>
    public IEnumerable<Application> MayBeTouchedBy(ChangedDirectories changed) =>
        paths.Candidates(changed).Select(Find).OfType<Application>();

    /// <summary>The app's project: the declared one, the built-in default, or null when the app names a project
    /// that is not declared.</summary>
    public Project? ProjectOf(Application app) =>
        projects.GetValueOrDefault(app.Spec.Project) ?? (app.Spec.Project == Project.DefaultName ? Project.Default : null);

    /// <summary>Replaces the declared projects; every app of a changed project is re-queued.</summary>
    public void ReplaceProjects(IEnumerable<Project> declared)
    {
        var next = declared.ToDictionary(p => p.Name);
        var before = projects;
        projects = next;
        var changed = next.Keys.Union(before.Keys)
            .Where(n => !before.TryGetValue(n, out var a) || !next.TryGetValue(n, out var b) || !ProjectEquals(a, b))
            .ToHashSet();
        foreach (var app in apps.Values.Where(a => changed.Contains(a.Spec.Project)))
        {
            Changed?.Invoke(app.Name);
        }
    }

    /// <summary>True once the first full set has been read (the file, or the first list of Application
    /// objects): before that an empty registry means "not known yet", not "no apps".</summary>
    public bool Loaded => loaded;

    private volatile bool loaded;

    public void MarkLoaded() => loaded = true;

    /// <summary>Replaces the whole set (a reload of the file); raises Changed for each added/changed/removed app.</summary>
    public void ReplaceAll(IEnumerable<Application> declared)
    {
        var next = declared.ToDictionary(a => a.Name);
        foreach (var name in apps.Keys.Except(next.Keys).ToList())
        {
            apps.TryRemove(name, out _);
            paths.Remove(name);
            Changed?.Invoke(name);
        }

        foreach (var app in next.Values)
        {
            Upsert(app);
        }

        MarkLoaded();
    }

    public void Upsert(Application app)
    {
        var previous = apps.GetValueOrDefault(app.Name);
        apps[app.Name] = app;
        paths.Set(app);
        if (previous is null || !SpecEquals(previous.Spec, app.Spec))
        {
            Changed?.Invoke(app.Name);
        }
    }

    public void Remove(string name)
    {
        if (apps.TryRemove(name, out _))
        {
            paths.Remove(name);
            Changed?.Invoke(name);
        }
    }

    // The spec, which the source-generated JSON context knows (a Project itself is not a document type).
    private static bool ProjectEquals(Project a, Project b) =>
        a.Name == b.Name
        && System.Text.Json.JsonSerializer.Serialize(a.Spec, ApplicationDocuments.JsonOptions)
        == System.Text.Json.JsonSerializer.Serialize(b.Spec, ApplicationDocuments.JsonOptions);

    // Records compare collections by reference; compare the serialised form instead.
    private static bool SpecEquals(ApplicationSpec a, ApplicationSpec b) =>
        System.Text.Json.JsonSerializer.Serialize(a, ApplicationDocuments.JsonOptions)
        == System.Text.Json.JsonSerializer.Serialize(b, ApplicationDocuments.JsonOptions);
}
