using GitOps.Rendering.IO;
using GitOps.Rendering.Yaml;

namespace GitOps.Rendering.Plain;

/// <summary>Plain directories of YAML/JSON manifests, as Argo CD's `directory` source reads them.</summary>
public sealed class PlainRenderer : IManifestRenderer
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public string Name => "plain";

    public bool CanRender(string directory) => true;

    public async Task<RenderResult> RenderAsync(RenderRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.Options.Directory ?? new DirectoryOptions();
        var fs = new SafeFileSystem(request.RepositoryRoot);
        var appDir = fs.Resolve(fs.Root, request.Path);
        var include = string.IsNullOrEmpty(options.Include) ? null : Glob.ToRegex(options.Include);
        var exclude = string.IsNullOrEmpty(options.Exclude) ? null : Glob.ToRegex(options.Exclude);
        var manifests = new List<Manifest>();
        foreach (var file in EnumerateFiles(appDir, options.Recurse))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rel = Path.GetRelativePath(appDir, file).Replace('\\', '/');
            if (!Extensions.Contains(Path.GetExtension(file), StringComparer.Ordinal)
                || (include is not null && !include.IsMatch(rel))
                || (exclude is not null && exclude.IsMatch(rel)))
            {
                continue;
            }

            var display = fs.Display(file);
            var real = fs.Resolve(appDir, rel, display);
            var text = await fs.ReadTextAsync(real, display, cancellationToken).ConfigureAwait(false);
            manifests.AddRange(ManifestYaml.ParseManifests(text, display, YamlSchema.Kubernetes));
        }

        return new RenderResult(manifests, Name);
    }

    private static IEnumerable<string> EnumerateFiles(string directory, bool recurse)
    {
        var entries = new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry is DirectoryInfo dir)
            {
                // Hidden directories (.git, .github) hold no manifests; symlinked directories are not followed.
                if (recurse && !dir.Name.StartsWith('.') && dir.LinkTarget is null)
                {
                    foreach (var f in EnumerateFiles(dir.FullName, recurse))
                    {
                        yield return f;
                    }
                }
            }
            else
            {
                yield return entry.FullName;
            }
        }
    }
}
