using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Rendering.Kustomize.Generators;

/// <summary>configMapGenerator / secretGenerator: literals, files, env files, options, and the
/// create/merge/replace behaviours against objects already accumulated.</summary>
internal sealed class ConfigMapSecretGenerator(Loader loader, string directory, string kustomizationFile)
{
    public async Task RunAsync(List<Resource> resources, JsonNode? entries, JsonObject? globalOptions, bool secret,
        string? defaultNamespace, CancellationToken ct)
    {
        if (entries is not JsonArray list)
        {
            return;
        }

        foreach (var entry in list.OfType<JsonObject>())
        {
            var generated = await GenerateAsync(entry, globalOptions, secret, ct).ConfigureAwait(false);
            var behavior = Scalars.Str(entry["behavior"]) ?? "create";
            var kind = secret ? "Secret" : "ConfigMap";
            var name = generated.Name;
            var ns = generated.Namespace;
            var existing = resources.FindIndex(r => r.Kind == kind && r.HadName(name)
                && (ns.Length == 0 || r.HadNamespace(ns)));
            switch (behavior)
            {
                case "create":
                    if (existing >= 0 && Resource.SameNamespace(resources[existing].Namespace, ns))
                    {
                        throw new RenderException($"may not add resource with an already registered id: {kind} {name}", loader.FileSystem.Display(kustomizationFile));
                    }

                    resources.Add(generated);
                    break;
                case "merge" or "replace":
                    if (existing < 0)
                    {
                        throw new RenderException($"id {kind} {name} does not exist; cannot {behavior} or replace", loader.FileSystem.Display(kustomizationFile));
                    }

                    Combine(resources[existing], generated, behavior == "merge");
                    break;
                default:
                    throw new RenderException($"unknown generator behavior '{behavior}'", loader.FileSystem.Display(kustomizationFile));
            }
        }
    }

    private static void Combine(Resource target, Resource generated, bool merge)
    {
        var t = target.Object;
        var g = generated.Object;
        foreach (var field in new[] { "data", "binaryData" })
        {
            if (merge && t[field] is JsonObject td && g[field] is JsonObject gd)
            {
                foreach (var (k, v) in gd)
                {
                    td[k] = v?.DeepClone();
                }
            }
            else if (g[field] is JsonObject gd2 && (gd2.Count > 0 || !merge))
            {
                t[field] = gd2.DeepClone();
            }
            else if (!merge)
            {
                t.Remove(field);
            }
        }

        foreach (var meta in new[] { "labels", "annotations" })
        {
            if (g["metadata"]?[meta] is JsonObject gm)
            {
                var tm = target.Metadata[meta] as JsonObject ?? [];
                foreach (var (k, v) in gm)
                {
                    tm[k] = v?.DeepClone();
                }

                target.Metadata[meta] = tm;
            }
        }

        if (g["immutable"] is not null)
        {
            t["immutable"] = g["immutable"]!.DeepClone();
        }

        // The hash suffix survives a merge or replace only if both sides ask for it: an object that came from a
        // plain resource file (or had the hash disabled) keeps its name (kubectl-checked, gen-merge-hash-rules).
        target.NeedsHash = generated.NeedsHash && target.NeedsHash;
    }

    private async Task<Resource> GenerateAsync(JsonObject entry, JsonObject? globalOptions, bool secret, CancellationToken ct)
    {
        var name = Scalars.Str(entry["name"]) ?? throw new RenderException("generator entry has no name", loader.FileSystem.Display(kustomizationFile));
        var data = new List<(string Key, byte[] Value)>();
        foreach (var literal in Scalars.Strings(entry["literals"]))
        {
            var (k, v) = SplitPair(literal);
            data.Add((k, Encoding.UTF8.GetBytes(Unquote(v))));
        }

        foreach (var envFile in Scalars.Strings(entry["envs"]).Concat(Scalars.Strings(entry["env"])))
        {
            var text = await loader.ReadTextAsync(loader.ResolveFile(directory, envFile, kustomizationFile), ct).ConfigureAwait(false);
            foreach (var (k, v) in ParseEnv(text))
            {
                data.Add((k, Encoding.UTF8.GetBytes(v)));
            }
        }

        foreach (var file in Scalars.Strings(entry["files"]))
        {
            var eq = file.IndexOf('=', StringComparison.Ordinal);
            var key = eq >= 0 ? file[..eq] : Path.GetFileName(file);
            var path = eq >= 0 ? file[(eq + 1)..] : file;
            var real = loader.ResolveFile(directory, path, kustomizationFile);
            if (Directory.Exists(real))
            {
                throw new RenderException($"generator file '{path}' is a directory", loader.FileSystem.Display(kustomizationFile));
            }

            data.Add((key, await loader.ReadBytesAsync(real, ct).ConfigureAwait(false)));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (k, _) in data)
        {
            if (!seen.Add(k))
            {
                throw new RenderException($"configmap/secret '{name}' has duplicate key '{k}'", loader.FileSystem.Display(kustomizationFile));
            }
        }

        var obj = new JsonObject { ["apiVersion"] = "v1", ["kind"] = secret ? "Secret" : "ConfigMap" };
        var metadata = new JsonObject { ["name"] = name };
        var ns = Scalars.Str(entry["namespace"]);
        if (!string.IsNullOrEmpty(ns))
        {
            metadata["namespace"] = ns;
        }

        obj["metadata"] = metadata;
        var strings = new JsonObject();
        var binary = new JsonObject();
        foreach (var (k, bytes) in data)
        {
            if (secret)
            {
                strings[k] = Base64Lines(bytes);
            }
            else if (IsUtf8(bytes))
            {
                strings[k] = Encoding.UTF8.GetString(bytes);
            }
            else
            {
                binary[k] = Base64Lines(bytes);
            }
        }

        if (strings.Count > 0 || (secret && binary.Count == 0))
        {
            obj["data"] = strings;
        }

        if (binary.Count > 0)
        {
            obj["binaryData"] = binary;
        }

        if (secret)
        {
            obj["type"] = Scalars.Str(entry["type"]) ?? "Opaque";
        }

        var options = entry["options"] as JsonObject;
        var disableHash = false;
        foreach (var opts in new[] { globalOptions, options })
        {
            if (opts is null)
            {
                continue;
            }

            foreach (var meta in new[] { "labels", "annotations" })
            {
                if (opts[meta] is JsonObject values)
                {
                    var target = metadata[meta] as JsonObject ?? [];
                    foreach (var (k, v) in values)
                    {
                        target[k] = Scalars.ToText(v);
                    }

                    metadata[meta] = target;
                }
            }

            // Either level turning the hash off wins (kustomize ORs the two).
            disableHash |= Scalars.Bool(opts["disableNameSuffixHash"]);

            if (Scalars.Bool(opts["immutable"]))
            {
                obj["immutable"] = true;
            }
        }

        return new Resource(obj, loader.FileSystem.Display(kustomizationFile)) { NeedsHash = !disableHash };
    }

    private (string Key, string Value) SplitPair(string literal)
    {
        var eq = literal.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new RenderException($"literal '{literal}' is not KEY=VALUE", loader.FileSystem.Display(kustomizationFile));
        }

        return (literal[..eq], literal[(eq + 1)..]);
    }

    private static string Unquote(string v) =>
        v.Length >= 2 && ((v[0] == '"' && v[^1] == '"') || (v[0] == '\'' && v[^1] == '\'')) ? v[1..^1] : v;

    private static IEnumerable<(string, string)> ParseEnv(string text)
    {
        foreach (var raw in text.TrimStart('\ufeff').Split('\n'))
        {
            var line = raw.TrimEnd('\r').TrimStart();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            // kustomize reads a bare KEY from the process environment; we never expose ours, so it is empty.
            yield return eq < 0 ? (line.Trim(), "") : (line[..eq], line[(eq + 1)..]);
        }
    }

    /// <summary>kyaml's encoding of generated Secret data and ConfigMap binaryData: an encoding of 70 characters or
    /// more is cut into lines of 70, each ending in a newline (so it prints as a literal block, and the name hash
    /// covers the newlines); a shorter one stays one line.</summary>
    internal static string Base64Lines(byte[] bytes)
    {
        const int lineLength = 70;
        var encoded = Convert.ToBase64String(bytes);
        if (encoded.Length < lineLength)
        {
            return encoded;
        }

        var lines = new StringBuilder(encoded.Length + (encoded.Length / lineLength) + 1);
        for (var i = 0; i < encoded.Length; i += lineLength)
        {
            lines.Append(encoded, i, Math.Min(lineLength, encoded.Length - i)).Append('\n');
        }

        return lines.ToString();
    }

    private static bool IsUtf8(byte[] bytes)
    {
        try
        {
            _ = new UTF8Encoding(false, true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
