using GitOps.Source;

namespace GitOps.Controller.Applications;

/// <summary>
/// The declared apps by the directory their git source renders, so that a push that lists its changed files finds
/// the apps it touches by looking up those files' directories instead of testing every app: at 50 000 apps the
/// test of each one cost ~30 ms per push, before the first app was queued. Apps a push may affect wherever it
/// lands (the repository root, values from git) are kept apart and always offered.
/// </summary>
internal sealed class SourcePathIndex
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, HashSet<string>> byDirectory = new(StringComparer.Ordinal);
    private readonly HashSet<string> anyPath = new(StringComparer.Ordinal);
    // Each recorded app's directory; null for those in anyPath. A chart without values from git is not recorded.
    private readonly Dictionary<string, string?> directoryOf = new(StringComparer.Ordinal);

    /// <summary>Records where <paramref name="app"/> renders from, replacing what was recorded under its name.</summary>
    public void Set(Application app)
    {
        var source = app.Spec.Source;
        lock (gate)
        {
            Forget(app.Name);
            // A chart from a chart repository without values from git: no push changes it, the webhook never queues it.
            if (source.IsChart && source.ValueSources.Count == 0)
            {
                return;
            }

            // Values from git may live anywhere, and the repository root holds every path: offered for every push.
            var directory = source.ValueSources.Count == 0 && ChangedDirectories.AppDirectory(source.Path) is { Length: > 0 } path ? path : null;
            directoryOf[app.Name] = directory;
            if (directory is null)
            {
                anyPath.Add(app.Name);
            }
            else if (byDirectory.TryGetValue(directory, out var names))
            {
                names.Add(app.Name);
            }
            else
            {
                byDirectory[directory] = new HashSet<string>(StringComparer.Ordinal) { app.Name };
            }
        }
    }

    public void Remove(string name)
    {
        lock (gate)
        {
            Forget(name);
        }
    }

    /// <summary>The names of the apps a push with these changed paths may affect: those whose directory holds one of
    /// them, and those offered for every push. The caller still applies its own test (repository, branch).</summary>
    public IReadOnlyList<string> Candidates(ChangedDirectories changed)
    {
        var names = new List<string>();
        lock (gate)
        {
            if (changed.IsEmpty)
            {
                return names;
            }

            names.AddRange(anyPath);
            foreach (var directory in changed.Touched)
            {
                if (byDirectory.TryGetValue(directory, out var under))
                {
                    names.AddRange(under);
                }
            }
        }

        return names;
    }

    private void Forget(string name)
    {
        if (!directoryOf.Remove(name, out var directory))
        {
            return;
        }

        if (directory is null)
        {
            anyPath.Remove(name);
        }
        else if (byDirectory.TryGetValue(directory, out var names) && names.Remove(name) && names.Count == 0)
        {
            byDirectory.Remove(directory);
        }
    }
}
