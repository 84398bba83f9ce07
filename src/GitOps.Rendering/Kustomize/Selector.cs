using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GitOps.Rendering.Kustomize;

/// <summary>A patch/replacement target: group, version, kind, name, namespace (anchored regular expressions),
/// label and annotation selectors. Names and namespaces match the current or any earlier identity.</summary>
internal sealed record Selector(string? Group, string? Version, string? Kind, string? Name, string? Namespace,
    string? LabelSelector, string? AnnotationSelector)
{
    public static Selector FromJson(JsonNode? node) => new(
        Scalars.Str(node?["group"]), Scalars.Str(node?["version"]), Scalars.Str(node?["kind"]), Scalars.Str(node?["name"]),
        Scalars.Str(node?["namespace"]), Scalars.Str(node?["labelSelector"]), Scalars.Str(node?["annotationSelector"]));

    private readonly Regex? group = Compile(Group);
    private readonly Regex? version = Compile(Version);
    private readonly Regex? kind = Compile(Kind);
    private readonly Regex? name = Compile(Name);
    private readonly Regex? ns = Compile(Namespace);

    private static Regex? Compile(string? pattern) => string.IsNullOrEmpty(pattern) ? null : Regex(pattern);

    public bool Matches(Resource r)
    {
        if (!Field(group, r.Group) || !Field(version, r.Version) || !Field(kind, r.Kind))
        {
            return false;
        }

        if (name is not null && !r.History.Exists(h => name.IsMatch(h.Name)))
        {
            return false;
        }

        if (ns is not null && !r.History.Exists(h => ns.IsMatch(h.Namespace.Length == 0 ? "default" : h.Namespace) || ns.IsMatch(h.Namespace)))
        {
            return false;
        }

        return MatchesLabels(LabelSelector, r.Object["metadata"]?["labels"] as JsonObject)
            && MatchesLabels(AnnotationSelector, r.Object["metadata"]?["annotations"] as JsonObject);
    }

    private static bool Field(Regex? pattern, string value) => pattern is null || pattern.IsMatch(value);

    private static Regex Regex(string pattern) => new($"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>Kubernetes label selector syntax: k=v, k==v, k!=v, k in (a,b), k notin (a,b), k, !k.</summary>
    internal static bool MatchesLabels(string? selector, JsonObject? labels)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return true;
        }

        string? Get(string k) => labels?[k] is { } v ? Scalars.ToText(v) : null;
        foreach (var raw in SplitTerms(selector))
        {
            var term = raw.Trim();
            var m = System.Text.RegularExpressions.Regex.Match(term, @"^(\S+)\s+(in|notin)\s+\((.*)\)$");
            if (m.Success)
            {
                var set = m.Groups[3].Value.Split(',').Select(x => x.Trim()).ToHashSet();
                var has = Get(m.Groups[1].Value) is { } val && set.Contains(val);
                if (m.Groups[2].Value == "in" ? !has : has)
                {
                    return false;
                }
            }
            else if (term.Contains("!=", StringComparison.Ordinal))
            {
                var parts = term.Split("!=", 2);
                if (Get(parts[0].Trim()) == parts[1].Trim())
                {
                    return false;
                }
            }
            else if (term.Contains('=', StringComparison.Ordinal))
            {
                var parts = term.Split('=', 2);
                if (Get(parts[0].Trim()) != parts[1].TrimStart('=').Trim())
                {
                    return false;
                }
            }
            else if (term.StartsWith('!'))
            {
                if (Get(term[1..].Trim()) is not null)
                {
                    return false;
                }
            }
            else if (Get(term) is null)
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> SplitTerms(string s)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '(')
            {
                depth++;
            }
            else if (s[i] == ')')
            {
                depth--;
            }
            else if (s[i] == ',' && depth == 0)
            {
                yield return s[start..i];
                start = i + 1;
            }
        }

        yield return s[start..];
    }
}
