namespace GitOps.Rendering.Tests.Kustomize;

/// <summary>Differential fixtures `plugin-*`: builtin transformer/generator configs under `transformers:` and
/// `generators:` (inline, files, reusable directories); each must equal `kubectl kustomize`.</summary>
public sealed class PluginsDifferentialTests
{
    public static IEnumerable<object[]> Fixtures => KubectlOracle.Cases("plugin-");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public Task Renders_like_kubectl_kustomize(string fixture) => KubectlOracle.AssertSameAsKubectlAsync(fixture);
}
