namespace GitOps.Rendering.Tests.Kustomize;

/// <summary>Differential fixtures `misc-*`: crds, sortOptions, buildMetadata, YAML typing; each must equal `kubectl kustomize`.</summary>
public sealed class MiscDifferentialTests
{
    public static IEnumerable<object[]> Fixtures => KubectlOracle.Cases("misc-");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public Task Renders_like_kubectl_kustomize(string fixture) => KubectlOracle.AssertSameAsKubectlAsync(fixture);
}
