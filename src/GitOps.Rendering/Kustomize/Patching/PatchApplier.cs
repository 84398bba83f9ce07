using System.Text.Json.Nodes;
using GitOps.Rendering.Yaml;

namespace GitOps.Rendering.Kustomize.Patching;

/// <summary>patchesStrategicMerge, patchesJson6902 and patches (file or inline, with or without a target).</summary>
internal sealed class PatchApplier(Loader loader, string directory, string kustomizationFile)
{
    private string Display => loader.FileSystem.Display(kustomizationFile);

    public async Task StrategicMergeListAsync(List<Resource> resources, JsonNode? entries, CancellationToken ct)
    {
        foreach (var entry in Scalars.Strings(entries))
        {
            var (text, source) = await ContentAsync(entry, ct).ConfigureAwait(false);
            foreach (var doc in Parse(text, source))
            {
                if (doc is not JsonObject patch)
                {
                    throw new RenderException("a strategic merge patch must be a mapping", source);
                }

                ApplyStrategic(resources, patch, null, source, allowNameChange: false, allowKindChange: false);
            }
        }
    }

    public async Task Json6902ListAsync(List<Resource> resources, JsonNode? entries, CancellationToken ct)
    {
        if (entries is not JsonArray list)
        {
            return;
        }

        foreach (var entry in list.OfType<JsonObject>())
        {
            var (text, source) = entry["path"] is { } p
                ? await ContentAsync(Scalars.ToText(p), ct).ConfigureAwait(false)
                : (Scalars.Str(entry["patch"]) ?? "", Display);
            var docs = Parse(text, source);
            if (docs.FirstOrDefault() is not JsonArray ops)
            {
                throw new RenderException("patchesJson6902 content is not a list of operations", source);
            }

            var selector = Selector.FromJson(entry["target"]);
            foreach (var r in resources.Where(selector.Matches).ToList())
            {
                ApplyJson(r, ops, source);
            }
        }
    }

    public async Task PatchesAsync(List<Resource> resources, JsonNode? entries, CancellationToken ct)
    {
        if (entries is not JsonArray list)
        {
            return;
        }

        foreach (var entry in list.OfType<JsonObject>())
        {
            var (text, source) = entry["path"] is { } p
                ? await ContentAsync(Scalars.ToText(p), ct).ConfigureAwait(false)
                : (Scalars.Str(entry["patch"]) ?? throw new RenderException("patch entry has neither path nor patch", Display), Display);
            var docs = Parse(text, source);
            var target = entry["target"] is JsonObject t ? Selector.FromJson(t) : null;
            var options = entry["options"] as JsonObject;
            var allowName = Scalars.Bool(options?["allowNameChange"]);
            var allowKind = Scalars.Bool(options?["allowKindChange"]);
            if (docs.Count == 0)
            {
                continue;
            }

            if (docs[0] is JsonArray ops)
            {
                if (target is null)
                {
                    throw new RenderException("a JSON 6902 patch needs a target", source);
                }

                foreach (var r in resources.Where(target.Matches).ToList())
                {
                    ApplyJson(r, ops, source);
                }

                continue;
            }

            foreach (var doc in docs)
            {
                if (doc is not JsonObject patch)
                {
                    throw new RenderException("a strategic merge patch must be a mapping", source);
                }

                ApplyStrategic(resources, patch, target, source, allowName, allowKind);
            }
        }
    }

    private static List<JsonNode> Parse(string text, string source) =>
        [.. ManifestYaml.Parse(text, source, YamlSchema.Kustomize).Select(d => d.Root).OfType<JsonNode>()];

    private async Task<(string Text, string Source)> ContentAsync(string entry, CancellationToken ct)
    {
        if (entry.Contains('\n', StringComparison.Ordinal) || entry.TrimStart().StartsWith('{') || entry.Contains(": ", StringComparison.Ordinal))
        {
            return (entry, Display);
        }

        var real = loader.ResolveFile(directory, entry, kustomizationFile);
        return (await loader.ReadTextAsync(real, ct).ConfigureAwait(false), loader.FileSystem.Display(real));
    }

    private static void ApplyJson(Resource r, JsonArray ops, string source)
    {
        r.Object = (JsonObject)JsonPatch.Apply(r.Object, ops, source);
        r.Record();
    }

    private static void ApplyStrategic(List<Resource> resources, JsonObject patch, Selector? target, string source,
        bool allowNameChange, bool allowKindChange)
    {
        List<Resource> matches;
        if (target is not null)
        {
            matches = [.. resources.Where(target.Matches)];
        }
        else
        {
            var apiVersion = Scalars.Str(patch["apiVersion"]) ?? "";
            var kind = Scalars.Str(patch["kind"]);
            var name = Scalars.Str(patch["metadata"]?["name"]);
            var ns = Scalars.Str(patch["metadata"]?["namespace"]) ?? "";
            if (kind is null || name is null)
            {
                throw new RenderException("a strategic merge patch without a target needs kind and metadata.name", source);
            }

            var group = Gvk.GroupOf(apiVersion);
            var candidates = resources.Where(r => r.HadKind(kind) && r.Group == group && r.HadName(name)).ToList();
            matches = [.. candidates.Where(r => r.HadNamespace(ns))];
            if (matches.Count == 0 && ns.Length == 0 && candidates.Count == 1)
            {
                matches = candidates;
            }

            if (matches.Count == 0)
            {
                throw new RenderException($"no resource matches strategic merge patch {kind} {(ns.Length > 0 ? ns + "/" : "")}{name}; failed to find unique target for patch", source);
            }

            if (matches.Count > 1)
            {
                throw new RenderException($"multiple resources match strategic merge patch {kind} {name}", source);
            }
        }

        foreach (var r in matches)
        {
            var copy = (JsonObject)patch.DeepClone();
            if (copy["metadata"] is JsonObject meta)
            {
                if (!allowNameChange || target is null)
                {
                    meta.Remove("name");
                }

                meta.Remove("namespace");
            }

            if (!allowKindChange)
            {
                copy.Remove("kind");
                copy.Remove("apiVersion");
            }

            var result = StrategicMerge.Apply(r.Object, copy, StrategicMerge.IsBuiltin(r.Group));
            if (result is null)
            {
                resources.Remove(r);
                continue;
            }

            r.Object = result;
            r.Record();
        }
    }
}
