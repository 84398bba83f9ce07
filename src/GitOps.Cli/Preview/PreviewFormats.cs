using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Engine.Diff;

namespace GitOps.Cli.Preview;

internal enum PreviewFormat
{
    Markdown,
    Text,
    Json,
}

/// <summary>The preview as a pull-request comment (markdown), a terminal report (text) or data (json).</summary>
internal static class PreviewFormats
{
    /// <summary>GitHub refuses comments over 65536 characters; leave room for what a CI step adds around it.</summary>
    public const int DefaultMarkdownLimit = 65_000;

    private const string Marker = "<!-- gitops-preview -->";

    public static string Markdown(PreviewReport report, int limit = DefaultMarkdownLimit)
    {
        var head = new StringBuilder();
        // The marker lets a CI step find and update its earlier comment instead of adding one per push.
        head.Append(Marker).Append('\n');
        head.Append(report.Live
            ? $"### gitops preview: live cluster → `{Short(report.Head.Sha)}`\n\n"
            : $"### gitops preview: `{Short(report.Base.Sha)}` → `{Short(report.Head.Sha)}`\n\n");
        head.Append($"**{report.Summary()}**\n\n");
        if (report.Apps.Count == 0)
        {
            head.Append("No application of this repository renders differently.\n");
            return head.ToString();
        }

        var truncatedNote = "\n> [!WARNING]\n> Output truncated at {0} characters: {1} not shown in full. Run " +
                            $"`gitops preview --base {report.Base.Sha} --head {report.Head.Sha}{(report.Live ? " --live" : "")}` for the complete diff.\n";
        var budget = limit - head.Length - truncatedNote.Length - 40;
        var body = new StringBuilder();
        var shortened = new List<string>();
        var omitted = 0;
        foreach (var app in report.Apps.Where(a => a.Outcome != AppPreviewOutcome.Unchanged))
        {
            var full = AppSection(app, withDiffs: true);
            if (body.Length + full.Length <= budget)
            {
                body.Append(full);
                continue;
            }

            var brief = AppSection(app, withDiffs: false);
            if (body.Length + brief.Length <= budget)
            {
                body.Append(brief);
                shortened.Add(app.Name);
            }
            else
            {
                omitted++;
            }
        }

        var unchanged = report.Apps.Where(a => a.Outcome == AppPreviewOutcome.Unchanged).Select(a => $"`{a.Name}`").ToList();
        if (unchanged.Count > 0 && body.Length + 200 + unchanged.Sum(u => u.Length + 2) <= budget)
        {
            body.Append($"Rendered, no change: {string.Join(", ", unchanged)}\n");
        }

        if (shortened.Count > 0 || omitted > 0)
        {
            var what = new List<string>();
            if (shortened.Count > 0)
            {
                what.Add($"diffs of {string.Join(", ", shortened.Select(n => $"`{n}`"))}");
            }

            if (omitted > 0)
            {
                what.Add(PreviewReport.Plural(omitted, "more app"));
            }

            body.AppendFormat(System.Globalization.CultureInfo.InvariantCulture, truncatedNote, limit, string.Join(" and ", what));
        }

        return head.Append(body).ToString();
    }

    public static string Text(PreviewReport report)
    {
        var sb = new StringBuilder();
        sb.Append(report.Live
            ? $"{report.Repository}: live cluster → {Short(report.Head.Sha)} ({report.Head.Ref})\n"
            : $"{report.Repository}: {Short(report.Base.Sha)} ({report.Base.Ref}) → {Short(report.Head.Sha)} ({report.Head.Ref})\n");
        sb.Append(report.Summary()).Append('\n');
        foreach (var app in report.Apps)
        {
            sb.Append($"\n== {app.Name} ({app.Path}): {Counts(app)}\n");
            if (app.Error is not null)
            {
                sb.Append(app.Error).Append('\n');
            }

            foreach (var change in app.Changes)
            {
                sb.Append($"{Sign(change.Type)} {change.Key}\n").Append(change.Diff);
            }
        }

        return sb.ToString();
    }

    public static string Json(PreviewReport report)
    {
        var json = new JsonObject
        {
            ["repository"] = report.Repository,
            ["base"] = Revision(report.Base),
            ["head"] = Revision(report.Head),
            ["live"] = report.Live,
            ["summary"] = report.Summary(),
            ["changed"] = report.HasChanges,
            ["appsOfRepository"] = report.AppsOfRepository,
            ["apps"] = new JsonArray(report.Apps.Select(a => (JsonNode)new JsonObject
            {
                ["name"] = a.Name,
                ["path"] = a.Path,
                ["outcome"] = a.Outcome.ToString(),
                ["error"] = a.Error,
                ["objects"] = new JsonArray(a.Changes.Select(c => (JsonNode)new JsonObject
                {
                    ["group"] = c.Key.Group,
                    ["kind"] = c.Key.Kind,
                    ["namespace"] = c.Key.Namespace,
                    ["name"] = c.Key.Name,
                    ["change"] = c.Type.ToString(),
                    ["diff"] = c.Diff,
                }).ToArray()),
            }).ToArray()),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static JsonObject Revision(PreviewRevision r) => new() { ["ref"] = r.Ref, ["sha"] = r.Sha, ["subject"] = r.Subject };

    private static string AppSection(AppPreview app, bool withDiffs)
    {
        var sb = new StringBuilder();
        var icon = app.Outcome == AppPreviewOutcome.Error ? "❌ " : "";
        sb.Append(app.Outcome == AppPreviewOutcome.Error ? "<details open>" : "<details>");
        sb.Append($"<summary>{icon}<b>{Html(app.Name)}</b> <code>{Html(app.Path)}</code> — {Html(Counts(app))}</summary>\n\n");
        if (app.Error is not null)
        {
            sb.Append(Fenced(app.Error, ""));
        }

        foreach (var change in app.Changes)
        {
            sb.Append($"`{Sign(change.Type)} {change.Key}`\n");
            // A live object a sync would prune comes without a diff (the engine reports it as Extraneous).
            if (withDiffs && change.Diff.Length > 0)
            {
                sb.Append('\n').Append(Fenced(change.Diff, "diff"));
            }
            else
            {
                sb.Append('\n');
            }
        }

        if (!withDiffs && app.Changes.Count > 0)
        {
            sb.Append("_(diffs left out: size limit)_\n\n");
        }

        return sb.Append("</details>\n\n").ToString();
    }

    private static string Counts(AppPreview app) => app.Outcome switch
    {
        AppPreviewOutcome.Error => "failed to render",
        AppPreviewOutcome.Unchanged => "no change",
        _ => $"{app.Count(ObjectChangeType.Added)} added, {app.Count(ObjectChangeType.Removed)} removed, " +
             $"{app.Count(ObjectChangeType.Changed)} changed",
    };

    private static string Sign(ObjectChangeType type) => type switch
    {
        ObjectChangeType.Added => "+",
        ObjectChangeType.Removed => "-",
        _ => "~",
    };

    /// <summary>A code block whose fence is longer than any backtick run inside, so content cannot close it.</summary>
    private static string Fenced(string content, string language)
    {
        var longest = 0;
        var run = 0;
        foreach (var c in content)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        var fence = new string('`', Math.Max(3, longest + 1));
        return $"{fence}{language}\n{content.TrimEnd('\n')}\n{fence}\n\n";
    }

    private static string Html(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
}
