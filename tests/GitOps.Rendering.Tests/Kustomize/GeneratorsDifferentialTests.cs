namespace GitOps.Rendering.Tests.Kustomize;

/// <summary>Differential fixtures `gen-*`: configMapGenerator/secretGenerator, options and content hash; each must equal `kubectl kustomize`.</summary>
public sealed class GeneratorsDifferentialTests
{
    public static IEnumerable<object[]> Fixtures => KubectlOracle.Cases("gen-");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public Task Renders_like_kubectl_kustomize(string fixture) => KubectlOracle.AssertSameAsKubectlAsync(fixture);
}
