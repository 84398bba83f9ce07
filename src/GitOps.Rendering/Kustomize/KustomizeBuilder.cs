using System.Text.Json.Nodes;
using GitOps.Rendering.Kustomize.Generators;
using GitOps.Rendering.Kustomize.Patching;
using GitOps.Rendering.Kustomize.Transformers;

namespace GitOps.Rendering.Kustomize;

/// <summary>One kustomize build: accumulates each kustomization (resources, components, generators, transformers,
/// in kustomize's order), then at the top adds hash suffixes, fixes name references, expands vars and sorts.</summary>
internal sealed class KustomizeBuilder(Loader loader, KustomizeOptions options, IHelmChartInflater? helm, string repositoryRoot)
{
    private const int MaxDepth = 64;
    private const int MaxResources = 50_000;
    private readonly List<string> stack = [];
    private readonly List<JsonObject> vars = [];
    private readonly List<(string Kind, string? Group, List<FieldSpec> Referrers)> nameReferences = [.. BuiltinFieldSpecs.NameReferences];
    private readonly List<FieldSpec> varReferences = [.. BuiltinFieldSpecs.VarReferences];
    private string sortOrder = "legacy";
    private List<string>? orderFirst;
    private List<string>? orderLast;

    public async Task<List<Resource>> BuildAsync(string directory, CancellationToken ct)
    {
        var resources = await AccumulateAsync(directory, null, top: true, ct).ConfigureAwait(false);
        foreach (var r in resources.Where(r => r.NeedsHash))
        {
            r.SetName($"{r.Name}-{ContentHash.Compute(r.Object)}");
        }

        NameReferences.Fix(resources, nameReferences);
        VarsAndReplacements.ResolveVars(resources, vars, varReferences);
        return sortOrder == "fifo" ? resources : LegacySort.Sort(resources, orderFirst, orderLast);
    }

    private async Task<List<Resource>> AccumulateAsync(string directory, List<Resource>? into, bool top, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var fs = loader.FileSystem;
        if (stack.Contains(directory))
        {
            throw new RenderException($"cycle detected: {string.Join(" -> ", stack.Append(directory).Select(fs.Display))}");
        }

        if (stack.Count >= MaxDepth)
        {
            throw new RenderException($"kustomizations nested deeper than {MaxDepth}", fs.Display(directory));
        }

        stack.Add(directory);
        try
        {
            var (k, file) = await loader.LoadKustomizationAsync(directory, ct).ConfigureAwait(false);
            var display = fs.Display(file);
            var isComponent = Scalars.Str(k["kind"]) == "Component";
            if (isComponent && into is null)
            {
                throw new RenderException("a Component cannot be built on its own or listed in resources; use components", display);
            }

            if (!isComponent && into is not null)
            {
                throw new RenderException("only a Component may be listed in components", display);
            }

            if (top)
            {
                ApplyOverrides(k);
            }

            var resources = into ?? [];
            foreach (var entry in Scalars.Strings(k["resources"]).Concat(Scalars.Strings(k["bases"])))
            {
                var (path, isDirectory) = loader.ResolveResource(directory, entry, file);
                var added = isDirectory
                    ? await AccumulateAsync(path, null, top: false, ct).ConfigureAwait(false)
                    : await loader.ReadResourcesAsync(path, ct).ConfigureAwait(false);
                Append(resources, added, display);
            }

            foreach (var entry in Scalars.Strings(k["components"]))
            {
                var (path, isDirectory) = loader.ResolveResource(directory, entry, file);
                if (!isDirectory)
                {
                    throw new RenderException($"component '{entry}' is not a directory", display);
                }

                await AccumulateAsync(path, resources, top: false, ct).ConfigureAwait(false);
            }

            await ConfigurationsAsync(k, directory, file, ct).ConfigureAwait(false);
            foreach (var entry in Scalars.Strings(k["crds"]))
            {
                // OpenAPI definitions, not resources: their object-reference marks become name references.
                var real = loader.ResolveFile(directory, entry, file);
                var text = await loader.ReadTextAsync(real, ct).ConfigureAwait(false);
                if (Yaml.ManifestYaml.Parse(text, loader.FileSystem.Display(real), Yaml.YamlSchema.Kustomize).FirstOrDefault()?.Root is JsonObject definitions)
                {
                    nameReferences.AddRange(CrdReferences.NameReferences(definitions).Select(r => (r.Kind, (string?)null, r.Referrers)));
                }
            }

            await GenerateAsync(k, directory, file, resources, ct).ConfigureAwait(false);
            await TransformAsync(k, directory, file, resources, ct).ConfigureAwait(false);
            MetadataAndSort(k, resources, display, top);
            if (k["vars"] is JsonArray v)
            {
                foreach (var item in v.OfType<JsonObject>())
                {
                    var name = Scalars.Str(item["name"]);
                    if (vars.Exists(x => Scalars.Str(x["name"]) == name))
                    {
                        throw new RenderException($"var '{name}' already encountered", display);
                    }

                    vars.Add(item);
                }
            }

            if (resources.Count > MaxResources)
            {
                throw new RenderException($"more than {MaxResources} resources", display);
            }

            return resources;
        }
        finally
        {
            stack.RemoveAt(stack.Count - 1);
        }
    }

    private void ApplyOverrides(JsonObject k)
    {
        if (!string.IsNullOrEmpty(options.Namespace))
        {
            k["namespace"] = options.Namespace;
        }

        if (!string.IsNullOrEmpty(options.NamePrefix))
        {
            k["namePrefix"] = options.NamePrefix + (Scalars.Str(k["namePrefix"]) ?? "");
        }

        if (!string.IsNullOrEmpty(options.NameSuffix))
        {
            k["nameSuffix"] = (Scalars.Str(k["nameSuffix"]) ?? "") + options.NameSuffix;
        }

        if (options.CommonLabels is { Count: > 0 } labels)
        {
            var map = k["commonLabels"] as JsonObject ?? [];
            foreach (var (key, value) in labels)
            {
                map[key] = value;
            }

            k["commonLabels"] = map;
        }

        if (options.Images is { Count: > 0 } images)
        {
            var list = k["images"] as JsonArray ?? [];
            foreach (var image in images)
            {
                // Argo CD syntax: [old=]name[:tag][@digest]
                var eq = image.IndexOf('=', StringComparison.Ordinal);
                var (name, tag, digest) = ImagesAndReplicas.Split(eq >= 0 ? image[(eq + 1)..] : image);
                var rule = new JsonObject { ["name"] = eq >= 0 ? image[..eq] : name };
                if (eq >= 0)
                {
                    rule["newName"] = name;
                }

                if (tag.Length > 0)
                {
                    rule["newTag"] = tag;
                }

                if (digest.Length > 0)
                {
                    rule["digest"] = digest;
                }

                list.Add((JsonNode)rule);
            }

            k["images"] = list;
        }
    }

    private static void Append(List<Resource> resources, List<Resource> added, string display)
    {
        var ids = resources.Select(x => x.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var r in added)
        {
            if (!ids.Add(r.Id))
            {
                throw new RenderException($"may not add resource with an already registered id: {r}", display);
            }

            resources.Add(r);
        }
    }

    private async Task GenerateAsync(JsonObject k, string directory, string file, List<Resource> resources, CancellationToken ct)
    {
        var generator = new ConfigMapSecretGenerator(loader, directory, file);
        var globalOptions = k["generatorOptions"] as JsonObject;
        await generator.RunAsync(resources, k["configMapGenerator"], globalOptions, secret: false, null, ct).ConfigureAwait(false);
        await generator.RunAsync(resources, k["secretGenerator"], globalOptions, secret: true, null, ct).ConfigureAwait(false);
        if (k["helmCharts"] is JsonArray charts && charts.Count > 0)
        {
            var added = await HelmCharts.InflateAsync(loader, helm, repositoryRoot, directory, file, k, ct).ConfigureAwait(false);
            Append(resources, added, loader.FileSystem.Display(file));
        }
    }

    private async Task TransformAsync(JsonObject k, string directory, string file, List<Resource> resources, CancellationToken ct)
    {
        var display = loader.FileSystem.Display(file);
        var patches = new PatchApplier(loader, directory, file);
        await patches.StrategicMergeListAsync(resources, k["patchesStrategicMerge"], ct).ConfigureAwait(false);
        await patches.PatchesAsync(resources, k["patches"], ct).ConfigureAwait(false);
        if (Scalars.Str(k["namespace"]) is { Length: > 0 } ns)
        {
            MetadataTransformers.SetNamespace(resources, ns, []);
        }

        var prefix = Scalars.Str(k["namePrefix"]) ?? "";
        var suffix = Scalars.Str(k["nameSuffix"]) ?? "";
        if (prefix.Length > 0 || suffix.Length > 0)
        {
            MetadataTransformers.AddPrefixSuffix(resources, prefix, suffix);
        }

        if (k["labels"] is JsonArray labelSets)
        {
            foreach (var set in labelSets.OfType<JsonObject>())
            {
                var pairs = MetadataTransformers.Pairs(set["pairs"]);
                IReadOnlyList<FieldSpec> specs = Scalars.Bool(set["includeSelectors"]) ? BuiltinFieldSpecs.CommonLabels
                    : Scalars.Bool(set["includeTemplates"]) ? [.. BuiltinFieldSpecs.MetadataLabels, .. BuiltinFieldSpecs.TemplateLabels]
                    : BuiltinFieldSpecs.MetadataLabels;
                if (set["fields"] is JsonArray fields)
                {
                    specs = [.. specs, .. fields.Select(FieldSpec.FromJson)];
                }

                MetadataTransformers.SetMapEntries(resources, pairs, specs);
            }
        }

        MetadataTransformers.SetMapEntries(resources, MetadataTransformers.Pairs(k["commonLabels"]), BuiltinFieldSpecs.CommonLabels);
        MetadataTransformers.SetMapEntries(resources, MetadataTransformers.Pairs(k["commonAnnotations"]), BuiltinFieldSpecs.CommonAnnotations);
        await patches.Json6902ListAsync(resources, k["patchesJson6902"], ct).ConfigureAwait(false);
        ImagesAndReplicas.SetReplicas(resources, k["replicas"], display);
        ImagesAndReplicas.SetImages(resources, k["images"]);
        await VarsAndReplacements.ReplaceAsync(loader, directory, file, resources, k["replacements"], ct).ConfigureAwait(false);
    }

    private void MetadataAndSort(JsonObject k, List<Resource> resources, string display, bool top)
    {
        var build = Scalars.Strings(k["buildMetadata"]).ToList();
        if (build.Contains("managedByLabel"))
        {
            MetadataTransformers.SetMapEntries(resources, [("app.kubernetes.io/managed-by", "kustomize-(devel)")], BuiltinFieldSpecs.MetadataLabels);
        }

        if (build.Contains("originAnnotations"))
        {
            foreach (var r in resources.Where(r => r.Metadata["annotations"]?["config.kubernetes.io/origin"] is null))
            {
                var annotations = r.Metadata["annotations"] as JsonObject ?? [];
                annotations["config.kubernetes.io/origin"] = $"path: {Path.GetRelativePath(Path.GetDirectoryName(display) ?? ".", r.Source ?? "")}\n";
                r.Metadata["annotations"] = annotations;
            }
        }

        if (top && k["sortOptions"] is JsonObject sort)
        {
            sortOrder = Scalars.Str(sort["order"]) ?? "legacy";
            if (sortOrder is not "legacy" and not "fifo")
            {
                throw new RenderException($"sortOptions.order must be legacy or fifo, not '{sortOrder}'", display);
            }

            if (sort["legacySortOptions"] is JsonObject legacy)
            {
                orderFirst = [.. Scalars.Strings(legacy["orderFirst"])];
                orderLast = [.. Scalars.Strings(legacy["orderLast"])];
            }
        }
    }

    private async Task ConfigurationsAsync(JsonObject k, string directory, string file, CancellationToken ct)
    {
        foreach (var entry in Scalars.Strings(k["configurations"]))
        {
            var real = loader.ResolveFile(directory, entry, file);
            var text = await loader.ReadTextAsync(real, ct).ConfigureAwait(false);
            var doc = Yaml.ManifestYaml.Parse(text, loader.FileSystem.Display(real), Yaml.YamlSchema.Kustomize).FirstOrDefault()?.Root as JsonObject;
            if (doc?["nameReference"] is JsonArray refs)
            {
                foreach (var r in refs.OfType<JsonObject>())
                {
                    nameReferences.Add((Scalars.Str(r["kind"]) ?? "", Scalars.Str(r["group"]),
                        [.. (r["fieldSpecs"] as JsonArray ?? []).Select(FieldSpec.FromJson)]));
                }
            }

            if (doc?["varReference"] is JsonArray varRefs)
            {
                varReferences.AddRange(varRefs.Select(FieldSpec.FromJson));
            }
        }
    }
}
