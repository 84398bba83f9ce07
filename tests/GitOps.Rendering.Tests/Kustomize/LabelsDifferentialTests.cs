namespace GitOps.Rendering.Tests.Kustomize;

/// <summary>Differential fixtures `labels-*`: commonLabels, labels, commonAnnotations; each must equal `kubectl kustomize`.</summary>
public sealed class LabelsDifferentialTests
{
    public static IEnumerable<object[]> Fixtures => KubectlOracle.Cases("labels-");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public Task Renders_like_kubectl_kustomize(string fixture) => KubectlOracle.AssertSameAsKubectlAsync(fixture);
}
