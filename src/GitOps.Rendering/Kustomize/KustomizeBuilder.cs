using System.Text.Json.Nodes;
using GitOps.Rendering.Kustomize.Generators;
using GitOps.Rendering.Kustomize.Plugins;
using GitOps.Rendering.Kustomize.Transformers;

namespace GitOps.Rendering.Kustomize;

/// <summary>One kustomize build: accumulates each kustomization as kustomize's KustTarget does (resources,
/// configurations, crds, generators, components, transformers, vars), then at the top adds hash suffixes, fixes
/// name references, expands vars, drops local-config objects and sorts.</summary>
internal sealed class KustomizeBuilder(Loader loader, KustomizeOptions options, IHelmChartInflater? helm, string repositoryRoot)
{
    private const int MaxDepth = 64;
    private const int MaxResources = 50_000;
    private readonly List<string> stack = [];
    private readonly List<JsonObject> vars = [];
    private string sortOrder = "legacy";
    private List<string>? orderFirst;
    private List<string>? orderLast;

    public async Task<List<Resource>> BuildAsync(string directory, CancellationToken ct)
    {
        var config = TransformerConfig.Default();
        var resources = await AccumulateAsync(directory, null, config, top: true, ct).ConfigureAwait(false);
        await new HashTransformer().TransformAsync(resources, ct).ConfigureAwait(false);
        NameReferences.Fix(resources, config.NameReference);
        VarsAndReplacements.ResolveVars(resources, vars, config.VarReference);
        resources.RemoveAll(r => Scalars.Str(r.Object["metadata"]?["annotations"]?["config.kubernetes.io/local-config"]) == "true");
        // kustomize rewrites every object's annotations once it has removed its build annotations, and kyaml
        // drops the field when the map is empty: `annotations:` with no value (or `{}`) disappears; labels stay.
        foreach (var r in resources.Where(r => r.Metadata.TryGetPropertyValue("annotations", out var a) && a is null or JsonObject { Count: 0 }))
        {
            r.Metadata.Remove("annotations");
        }

        return sortOrder == "fifo" ? resources : LegacySort.Sort(resources, orderFirst, orderLast);
    }

    /// <summary>Builds one kustomization into <paramref name="into"/> (a component) or a new list; what its
    /// `configurations:`/`crds:` add (and its bases' configs) lands in <paramref name="config"/>.</summary>
    private async Task<List<Resource>> AccumulateAsync(string directory, List<Resource>? into, TransformerConfig config, bool top, CancellationToken ct)
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
            var (raw, file) = await loader.LoadKustomizationAsync(directory, ct).ConfigureAwait(false);
            var display = fs.Display(file);
            if (top)
            {
                ApplyOverrides(raw);
            }

            var k = new Kustomization(raw);
            // A Component built directly is built like a Kustomization; only listing one in resources is an error.
            if (k.IsComponent && into is null && !top)
            {
                throw new RenderException("a Component cannot be listed in resources; use components", display);
            }

            if (!k.IsComponent && into is not null)
            {
                throw new RenderException("only a Component may be listed in components", display);
            }

            var context = new PluginContext(loader, directory, file);
            var resources = into ?? [];
            foreach (var entry in k.Resources)
            {
                Append(resources, await ReadEntryAsync(context, entry, config, ct).ConfigureAwait(false), display);
            }

            await ConfigurationsAsync(k, context, config, ct).ConfigureAwait(false);
            foreach (var generator in await GeneratorsAsync(k, context, ct).ConfigureAwait(false))
            {
                await generator.GenerateAsync(resources, ct).ConfigureAwait(false);
            }

            // Components after this kustomization's own generators, before its transformers (kustomize's
            // accumulateTarget): a component transforms, merges into, what the generators made.
            foreach (var entry in k.Components)
            {
                var (path, isDirectory) = loader.ResolveResource(directory, entry, file);
                if (!isDirectory)
                {
                    throw new RenderException($"component '{entry}' is not a directory", display);
                }

                await AccumulateAsync(path, resources, config, top: false, ct).ConfigureAwait(false);
            }

            foreach (var transformer in await TransformersAsync(k, context, config, ct).ConfigureAwait(false))
            {
                await transformer.TransformAsync(resources, ct).ConfigureAwait(false);
            }

            MetadataAndSort(k, resources, display, top);
            foreach (var item in k.Vars)
            {
                var name = Scalars.Str(item["name"]);
                if (vars.Exists(x => Scalars.Str(x["name"]) == name))
                {
                    throw new RenderException($"var '{name}' already encountered", display);
                }

                vars.Add(item);
                VarsAndReplacements.BindVar(resources, item, display);
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
                var (name, tag, digest) = Images.Split(eq >= 0 ? image[(eq + 1)..] : image);
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

    internal static void Append(List<Resource> resources, List<Resource> added, string display)
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

    /// <summary>A `resources:` entry (or a `transformers:`/`generators:` path): a file's objects, or a directory
    /// built as its own kustomization, whose config then flows into ours.</summary>
    private async Task<List<Resource>> ReadEntryAsync(PluginContext context, string entry, TransformerConfig config, CancellationToken ct)
    {
        var (path, isDirectory) = loader.ResolveResource(context.Directory, entry, context.KustomizationFile);
        if (!isDirectory)
        {
            return await loader.ReadResourcesAsync(path, ct).ConfigureAwait(false);
        }

        var baseConfig = TransformerConfig.Default();
        var added = await AccumulateAsync(path, null, baseConfig, top: false, ct).ConfigureAwait(false);
        config.Merge(baseConfig);
        return added;
    }

    /// <summary>The objects a `transformers:`/`generators:` list names: inline YAML, files, or directories.</summary>
    private async Task<List<Resource>> PluginConfigsAsync(PluginContext context, IReadOnlyList<string> entries, CancellationToken ct)
    {
        var configs = new List<Resource>();
        foreach (var entry in entries)
        {
            // kustomize tries each entry as YAML first: anything that is not a mapping is a path.
            var added = entry.Contains('\n', StringComparison.Ordinal)
                ? Loader.ParseResources(entry, context.Display)
                : await ReadEntryAsync(context, entry, TransformerConfig.Default(), ct).ConfigureAwait(false);
            Append(configs, added, context.Display);
        }

        return configs;
    }

    /// <summary>Generators in kusttarget_configplugin.go's order (ConfigMapGenerator, SecretGenerator,
    /// HelmChartInflationGenerator), then those listed under `generators:`.</summary>
    private async Task<List<IGenerator>> GeneratorsAsync(Kustomization k, PluginContext context, CancellationToken ct)
    {
        var list = new List<IGenerator>();
        list.AddRange(k.ConfigMapGenerator.Select(e => new Generators.ConfigMapSecretGeneratorPlugin(context, e, k.GeneratorOptions, secret: false)));
        list.AddRange(k.SecretGenerator.Select(e => new Generators.ConfigMapSecretGeneratorPlugin(context, e, k.GeneratorOptions, secret: true)));
        if (k.HasHelmCharts)
        {
            list.Add(new Generators.HelmChartInflationGenerator(context, helm, repositoryRoot, k.Raw));
        }

        foreach (var config in await PluginConfigsAsync(context, k.Generators, ct).ConfigureAwait(false))
        {
            list.Add(BuiltinPlugins.Generator(context, config, helm, repositoryRoot));
        }

        return list;
    }

    /// <summary>Transformers in kusttarget_configplugin.go's order: PatchStrategicMerge, Patch, Namespace, Prefix,
    /// Suffix, Label, Annotations, PatchJson6902, ReplicaCount, ImageTag, Replacement; then `transformers:`.</summary>
    private async Task<List<ITransformer>> TransformersAsync(Kustomization k, PluginContext context, TransformerConfig tc, CancellationToken ct)
    {
        var list = new List<ITransformer>();
        if (k.PatchesStrategicMerge is not null)
        {
            list.Add(new PatchStrategicMergeTransformer(context, k.PatchesStrategicMerge));
        }

        list.AddRange(k.Patches.Select(p => new PatchTransformer(context, p)));
        if (k.Namespace.Length > 0)
        {
            list.Add(new NamespaceTransformer(k.Namespace, tc.Namespace, unsetOnly: false, RoleBindingSubjects.DefaultOnly));
        }

        if (k.NamePrefix.Length > 0)
        {
            list.Add(new PrefixSuffixTransformer(k.NamePrefix, "", tc.NamePrefix));
        }

        if (k.NameSuffix.Length > 0)
        {
            list.Add(new PrefixSuffixTransformer("", k.NameSuffix, tc.NameSuffix));
        }

        list.AddRange(k.Labels.Select(l => LabelTransformer.FromLabelsEntry(l, tc)));
        list.Add(new LabelTransformer(k.CommonLabels, tc.CommonLabels));
        list.Add(new AnnotationsTransformer(k.CommonAnnotations, tc.CommonAnnotations));
        list.AddRange(k.PatchesJson6902.Select(p => new PatchJson6902Transformer(context, p)));
        list.AddRange(k.Replicas.Select(r => new ReplicaCountTransformer(r, tc.Replicas, context.Display)));
        list.AddRange(k.Images.Select(i => new ImageTagTransformer(i, tc.Images)));
        if (k.Replacements is JsonArray { Count: > 0 })
        {
            list.Add(new ReplacementTransformer(context, k.Replacements));
        }

        foreach (var config in await PluginConfigsAsync(context, k.Transformers, ct).ConfigureAwait(false))
        {
            list.Add(BuiltinPlugins.Transformer(context, config));
        }

        return list;
    }

    private void MetadataAndSort(Kustomization k, List<Resource> resources, string display, bool top)
    {
        var build = k.BuildMetadata;
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

        if (top && k.SortOptions is { } sort)
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

    /// <summary>`configurations:` files (field specs by transformer) and `crds:` (OpenAPI definitions whose
    /// object-reference marks become name references).</summary>
    private async Task ConfigurationsAsync(Kustomization k, PluginContext context, TransformerConfig config, CancellationToken ct)
    {
        foreach (var entry in k.Configurations)
        {
            if (await ReadDocumentAsync(context, entry, ct).ConfigureAwait(false) is { } doc)
            {
                config.Add(doc);
            }
        }

        foreach (var entry in k.Crds)
        {
            if (await ReadDocumentAsync(context, entry, ct).ConfigureAwait(false) is { } definitions)
            {
                foreach (var (kind, referrers) in CrdReferences.NameReferences(definitions))
                {
                    config.AddNameReference(kind, null, referrers);
                }
            }
        }
    }

    private async Task<JsonObject?> ReadDocumentAsync(PluginContext context, string entry, CancellationToken ct)
    {
        var real = loader.ResolveFile(context.Directory, entry, context.KustomizationFile);
        var text = await loader.ReadTextAsync(real, ct).ConfigureAwait(false);
        return Yaml.ManifestYaml.Parse(text, loader.FileSystem.Display(real), Yaml.YamlSchema.Kustomize).FirstOrDefault()?.Root as JsonObject;
    }
}
