using GitOps.Engine.Diff;

namespace GitOps.Cli.Preview;

/// <summary>What became of one application in a preview.</summary>
internal enum AppPreviewOutcome
{
    /// <summary>Both revisions rendered, and some object differs.</summary>
    Changed,

    /// <summary>Both revisions rendered to the same objects.</summary>
    Unchanged,

    /// <summary>A revision failed to render (or its snapshot failed); <see cref="AppPreview.Error"/> says why.</summary>
    Error,
}

/// <summary>A revision as the preview used it: what the user wrote and the commit it named.</summary>
internal sealed record PreviewRevision(string Ref, string Sha, string Subject);

/// <summary>One application's result: the objects that differ from base to head, each with a masked unified diff.</summary>
internal sealed record AppPreview(string Name, string Path, AppPreviewOutcome Outcome, IReadOnlyList<ObjectChange> Changes,
    string? Error = null)
{
    public int Count(ObjectChangeType type) => Changes.Count(c => c.Type == type);
}

/// <summary>The whole preview: which apps of the repository were considered, which could change, and how.</summary>
/// <param name="AppsOfRepository">Apps whose source is this repository.</param>
/// <param name="Apps">The apps rendered (those whose output can change), in name order.</param>
internal sealed record PreviewReport(string Repository, PreviewRevision Base, PreviewRevision Head, int AppsOfRepository,
    IReadOnlyList<AppPreview> Apps)
{
    /// <summary>`--live`: each app's head compared against the live cluster (by the controller), not against base;
    /// base only chose which apps can change.</summary>
    public bool Live { get; init; }

    public bool HasChanges => Apps.Any(a => a.Outcome == AppPreviewOutcome.Changed);

    public bool HasErrors => Apps.Any(a => a.Outcome == AppPreviewOutcome.Error);

    /// <summary>One line: "2 apps changed (3 added, 1 removed, 4 changed objects), 1 failed to render, 5 unchanged".</summary>
    public string Summary()
    {
        var changed = Apps.Where(a => a.Outcome == AppPreviewOutcome.Changed).ToList();
        var parts = new List<string>();
        if (changed.Count > 0)
        {
            var objects = changed.SelectMany(a => a.Changes).ToList();
            parts.Add($"{Plural(changed.Count, "app")} changed ({objects.Count(c => c.Type == ObjectChangeType.Added)} added, " +
                      $"{objects.Count(c => c.Type == ObjectChangeType.Removed)} removed, " +
                      $"{objects.Count(c => c.Type == ObjectChangeType.Changed)} changed objects)");
        }
        else
        {
            parts.Add("no changes");
        }

        var failed = Apps.Count(a => a.Outcome == AppPreviewOutcome.Error);
        if (failed > 0)
        {
            parts.Add($"{Plural(failed, "app")} failed to render");
        }

        var unchanged = AppsOfRepository - Apps.Count(a => a.Outcome != AppPreviewOutcome.Unchanged);
        if (unchanged > 0)
        {
            parts.Add($"{Plural(unchanged, "app")} unchanged");
        }
        return string.Join(", ", parts);
    }

    public static string Plural(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";
}
