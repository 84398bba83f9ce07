namespace GitOps.Rendering.Tests.Kustomize;

/// <summary>Differential fixtures `combo-*`: multi-level overlays combining components, patches and generators; each must equal `kubectl kustomize`.</summary>
public sealed class CombinedDifferentialTests
{
    public static IEnumerable<object[]> Fixtures => KubectlOracle.Cases("combo-");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public Task Renders_like_kubectl_kustomize(string fixture) => KubectlOracle.AssertSameAsKubectlAsync(fixture);
}
