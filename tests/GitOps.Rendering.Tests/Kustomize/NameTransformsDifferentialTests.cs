namespace GitOps.Rendering.Tests.Kustomize;

/// <summary>Differential fixtures `name-*`: namePrefix/nameSuffix, namespace and name-reference updates; each must equal `kubectl kustomize`.</summary>
public sealed class NameTransformsDifferentialTests
{
    public static IEnumerable<object[]> Fixtures => KubectlOracle.Cases("name-");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public Task Renders_like_kubectl_kustomize(string fixture) => KubectlOracle.AssertSameAsKubectlAsync(fixture);
}
