namespace GitOps.Rendering.Tests.Kustomize;

/// <summary>Differential fixtures `res-*`: resources, bases, nested and diamond bases, components; each must equal `kubectl kustomize`.</summary>
public sealed class ResourcesDifferentialTests
{
    public static IEnumerable<object[]> Fixtures => KubectlOracle.Cases("res-");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public Task Renders_like_kubectl_kustomize(string fixture) => KubectlOracle.AssertSameAsKubectlAsync(fixture);
}
