using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GitOps.Rendering.Yaml;

namespace GitOps.Rendering.Kustomize;

/// <summary>replacements (copy a field from one object into fields of others) and legacy vars (`$(NAME)`).</summary>
internal static partial class VarsAndReplacements
{
    [GeneratedRegex(@"\$\(([A-Za-z0-9_.\-]+)\)")]
    private static partial Regex VarPattern();

    public static async Task ReplaceAsync(Loader loader, string directory, string file, List<Resource> resources, JsonNode? entries, CancellationToken ct)
    {
        if (entries is not JsonArray list)
        {
            return;
        }

        var display = loader.FileSystem.Display(file);
        foreach (var entry in list.OfType<JsonObject>())
        {
            var replacements = new List<JsonObject>();
            if (Scalars.Str(entry["path"]) is { } path)
            {
                var real = loader.ResolveFile(directory, path, file);
                var text = await loader.ReadTextAsync(real, ct).ConfigureAwait(false);
                foreach (var doc in ManifestYaml.Parse(text, loader.FileSystem.Display(real), YamlSchema.Kustomize))
                {
                    replacements.AddRange(doc.Root switch { JsonArray a => a.OfType<JsonObject>(), JsonObject o => [o], _ => [] });
                }
            }
            else
            {
                replacements.Add(entry);
            }

            foreach (var replacement in replacements)
            {
                Apply(resources, replacement, display);
            }
        }
    }

    private static void Apply(List<Resource> resources, JsonObject replacement, string display)
    {
        var source = replacement["source"] as JsonObject ?? throw new RenderException("replacement has no source", display);
        var sourceSelector = Selector.FromJson(source);
        var found = resources.Where(sourceSelector.Matches).ToList();
        if (found.Count != 1)
        {
            throw new RenderException($"replacement source {Describe(source)} matched {found.Count} resources, need exactly one", display);
        }

        var fieldPath = Scalars.Str(source["fieldPath"]) ?? "metadata.name";
        var value = Get(found[0].Object, FieldPath.ParseDotted(fieldPath))
            ?? throw new RenderException($"replacement source field '{fieldPath}' not found in {found[0]}", display);
        if (source["options"] is JsonObject so && Scalars.Str(so["delimiter"]) is { } d)
        {
            var parts = Scalars.ToText(value).Split(d);
            var index = Scalars.Int(so["index"]);
            value = index >= 0 && index < parts.Length ? JsonValue.Create(parts[index]) : throw new RenderException($"options.index {index} out of bounds for '{Scalars.ToText(value)}'", display);
        }

        foreach (var target in (replacement["targets"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var select = Selector.FromJson(target["select"]);
            var rejects = (target["reject"] as JsonArray ?? []).Select(Selector.FromJson).ToList();
            var options = target["options"] as JsonObject;
            foreach (var r in resources.Where(r => select.Matches(r) && !rejects.Exists(x => x.Matches(r))))
            {
                foreach (var path in Scalars.Strings(target["fieldPaths"]))
                {
                    Set(r.Object, FieldPath.ParseDotted(path), value, options, display, r);
                }

                r.Record();
            }
        }
    }

    private static string Describe(JsonObject s) => $"{Scalars.Str(s["kind"])} {Scalars.Str(s["name"])}".Trim();

    internal static JsonNode? Get(JsonNode? node, IReadOnlyList<string> path)
    {
        foreach (var segment in path)
        {
            node = Step(node, segment, create: false);
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    private static JsonNode? Step(JsonNode? node, string segment, bool create)
    {
        if (segment.StartsWith('[') && segment.EndsWith(']') && node is JsonArray array)
        {
            var eq = segment.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                // "[1]": an index, as in a var's fieldpath "containers[0].ports[1].containerPort".
                return int.TryParse(segment[1..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var at)
                       && at < array.Count ? array[at] : null;
            }

            var key = segment[1..eq];
            var want = segment[(eq + 1)..^1];
            return array.OfType<JsonObject>().FirstOrDefault(o => o[key] is { } v && Scalars.ToText(v) == want);
        }

        if (node is JsonArray list && int.TryParse(segment, out var index))
        {
            return index >= 0 && index < list.Count ? list[index] : null;
        }

        if (node is JsonObject obj)
        {
            if (obj[segment] is null && create)
            {
                obj[segment] = new JsonObject();
            }

            return obj[segment];
        }

        return null;
    }

    private static void Set(JsonObject root, List<string> path, JsonNode value, JsonObject? options, string display, Resource r)
    {
        var create = Scalars.Bool(options?["create"]);
        var parents = new List<JsonNode> { root };
        for (var i = 0; i < path.Count - 1; i++)
        {
            var next = new List<JsonNode>();
            foreach (var p in parents)
            {
                if (path[i] == "*" && p is JsonArray all)
                {
                    next.AddRange(all.OfType<JsonNode>());
                }
                else if (Step(p, path[i], create) is { } child)
                {
                    next.Add(child);
                }
            }

            parents = next;
        }

        var last = path[^1];
        if (parents.Count == 0)
        {
            if (create)
            {
                throw new RenderException($"unable to create field '{string.Join('.', path)}' in {r}", display);
            }

            return;
        }

        foreach (var parent in parents)
        {
            if (parent is not JsonObject obj)
            {
                continue;
            }

            if (!obj.ContainsKey(last) && !create)
            {
                continue;
            }

            var newValue = value.DeepClone();
            if (options is not null && Scalars.Str(options["delimiter"]) is { } delimiter && obj[last] is JsonValue current)
            {
                var parts = Scalars.ToText(current).Split(delimiter).ToList();
                var index = Scalars.Int(options["index"]);
                if (index >= parts.Count)
                {
                    parts.Add(Scalars.ToText(value));
                }
                else if (index < 0)
                {
                    parts.Insert(0, Scalars.ToText(value));
                }
                else
                {
                    parts[index] = Scalars.ToText(value);
                }

                newValue = string.Join(delimiter, parts);
            }

            obj[last] = newValue;
        }
    }

    /// <summary>kustomize's MergeVars: when a kustomization declares a var, the one object its objref names
    /// (by current or earlier name; by namespace too when given) is marked as the var's source, so later
    /// renames, clones and same-named objects elsewhere cannot confuse it.</summary>
    public static void BindVar(List<Resource> resources, JsonObject v, string display)
    {
        var name = Scalars.Str(v["name"]) ?? "";
        var objref = v["objref"] as JsonObject ?? [];
        var kind = Scalars.Str(objref["kind"]);
        var refName = Scalars.Str(objref["name"]);
        var ns = Scalars.Str(objref["namespace"]) ?? "";
        var apiVersion = Scalars.Str(objref["apiVersion"]);
        var group = Scalars.Str(objref["group"]) ?? (apiVersion is null ? null : Gvk.GroupOf(apiVersion));
        var version = Scalars.Str(objref["version"]) ?? (apiVersion is null ? null : Gvk.VersionOf(apiVersion));
        var matches = resources.Where(r => r.Kind == kind && (string.IsNullOrEmpty(group) || r.Group == group)
            && (string.IsNullOrEmpty(version) || r.Version == version)
            && r.History.Exists(h => h.Name == refName && (ns.Length == 0 || Resource.SameNamespace(h.Namespace, ns)))).ToList();
        if (matches.Count > 1)
        {
            throw new RenderException($"found {matches.Count} resId matches for var '{name}' (unable to disambiguate)", display);
        }

        matches.FirstOrDefault()?.VarNames.Add(name);
    }

    public static void ResolveVars(List<Resource> resources, List<JsonObject> vars, IReadOnlyList<FieldSpec> specs)
    {
        if (vars.Count == 0)
        {
            return;
        }

        var values = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var v in vars)
        {
            var name = Scalars.Str(v["name"]) ?? "";
            var matches = resources.Where(r => r.VarNames.Contains(name)).Take(1).ToList();
            if (matches.Count != 1)
            {
                throw new RenderException($"var '{name}' cannot be mapped to a field in the set of known resources");
            }

            var fieldPath = Scalars.Str(v["fieldref"]?["fieldpath"]) ?? Scalars.Str(v["fieldref"]?["fieldPath"]) ?? "metadata.name";
            values[name] = Get(matches[0].Object, FieldPath.ParseDotted(fieldPath.Replace("[", ".[", StringComparison.Ordinal)))
                ?? throw new RenderException($"var '{name}': field '{fieldPath}' not found in {matches[0]}");
        }

        foreach (var r in resources)
        {
            foreach (var spec in specs.Where(s => s.Applies(r)))
            {
                FieldPath.Visit(r.Object, spec.Segments, false, (parent, key) => parent[key] = Expand(parent[key], values));
            }

            Loader.AnnotationsAsStrings(r.Object);
        }
    }

    private static JsonNode? Expand(JsonNode? node, Dictionary<string, JsonNode> values)
    {
        switch (node)
        {
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String:
                var s = v.GetValue<string>();
                var whole = VarPattern().Match(s);
                if (whole.Success && whole.Length == s.Length && values.TryGetValue(whole.Groups[1].Value, out var typed))
                {
                    return typed.DeepClone();
                }

                return VarPattern().Replace(s, m => values.TryGetValue(m.Groups[1].Value, out var x) ? Scalars.ToText(x) : m.Value);
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    a[i] = Expand(a[i]?.DeepClone(), values);
                }

                return a;
            case JsonObject o:
                foreach (var (k, child) in o.ToList())
                {
                    o[k] = Expand(child?.DeepClone(), values);
                }

                return o;
            default:
                return node;
        }
    }
}
