using System.Text;
using System.Text.RegularExpressions;

namespace GitOps.Rendering.Helm.Chart;

/// <summary>What `helm template` prints from the install action's result (Helm's cmd/helm/template.go): the
/// manifest document (CRD files whole, then manifests) trimmed, then hooks unless --no-hooks; --show-only re-splits
/// that text and keeps the documents whose "# Source:" matches, in pattern order.</summary>
internal static partial class TemplatePrinter
{
    [GeneratedRegex("# Source: [^/]+/(.+)")]
    private static partial Regex SourceLine();

    /// <summary>The entries in print order: each is written as "---\n# Source: SOURCE\nBODY\n".</summary>
    public static List<HelmTemplateDocument> Entries(ChartRenderOutput output, bool noHooks)
    {
        var entries = new List<HelmTemplateDocument>();
        entries.AddRange(output.Crds.Select(c => new HelmTemplateDocument(c.Source, c.Content, HelmTemplateDocumentKind.Crd)));
        entries.AddRange(output.Manifests.Select(m => new HelmTemplateDocument(m.Source, m.Content, HelmTemplateDocumentKind.Manifest)));
        if (!noHooks) entries.AddRange(output.Hooks.Select(m => new HelmTemplateDocument(m.Source, m.Content, HelmTemplateDocumentKind.Hook)));
        return entries;
    }

    public static string Text(IReadOnlyList<HelmTemplateDocument> entries, IReadOnlyList<string> showOnly, HelmCompatibility helm)
    {
        var release = new StringBuilder();
        foreach (var e in entries.Where(e => e.Kind != HelmTemplateDocumentKind.Hook)) Append(release, e);
        // Helm prints the release manifest trimmed plus a newline, then each hook.
        var sb = new StringBuilder().Append(release.ToString().Trim()).Append('\n');
        foreach (var e in entries.Where(e => e.Kind == HelmTemplateDocumentKind.Hook)) Append(sb, e);
        return showOnly.Count == 0 ? sb.ToString() : ShowOnly(sb.ToString(), showOnly, helm);
    }

    private static void Append(StringBuilder sb, HelmTemplateDocument e) =>
        sb.Append("---\n# Source: ").Append(e.Source).Append('\n').Append(e.Body).Append('\n');

    private static string ShowOnly(string text, IReadOnlyList<string> patterns, HelmCompatibility helm)
    {
        var docs = Manifests.Split(text, helm).ToList();
        var sb = new StringBuilder();
        foreach (var pattern in patterns)
        {
            var rx = GoPathMatch(pattern.Replace('\\', '/'));
            var found = false;
            foreach (var doc in docs)
            {
                if (SourceLine().Match(doc) is not { Success: true } m || !rx.IsMatch(m.Groups[1].Value)) continue;
                sb.Append("---\n").Append(doc).Append('\n');
                found = true;
            }
            if (!found) throw new RenderException($"could not find template {pattern} in chart");
        }
        return sb.ToString();
    }

    /// <summary>Go's filepath.Match: '*' and '?' never cross '/', [...] classes ('^' or '!' negates), '\' escapes.</summary>
    internal static Regex GoPathMatch(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*': sb.Append("[^/]*"); break;
                case '?': sb.Append("[^/]"); break;
                case '[':
                {
                    var close = pattern.IndexOf(']', i + 2);
                    if (close < 0) throw new RenderException($"syntax error in pattern {pattern}");
                    var cls = pattern[(i + 1)..close];
                    if (cls.StartsWith('!') || cls.StartsWith('^')) cls = "^/" + cls[1..];
                    sb.Append('[').Append(cls.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("[", @"\[", StringComparison.Ordinal)).Append(']');
                    i = close;
                    break;
                }
                case '\\' when i + 1 < pattern.Length: sb.Append(Regex.Escape(pattern[++i].ToString())); break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
