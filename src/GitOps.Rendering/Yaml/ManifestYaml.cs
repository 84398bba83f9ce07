namespace GitOps.Rendering.Yaml;

/// <summary>Writes manifests as multi-document YAML. (Stub: being built under issue 3.)</summary>
public static class ManifestYaml
{
    public static string Write(IEnumerable<Manifest> manifests) =>
        string.Join("---\n", manifests.Select(m => m.Object.ToJsonString() + "\n"));
}
