namespace GitOps.Rendering.Tests.Kustomize;

/// <summary>Differential fixtures `images-*`: images and replicas; each must equal `kubectl kustomize`.</summary>
public sealed class ImagesDifferentialTests
{
    public static IEnumerable<object[]> Fixtures => KubectlOracle.Cases("images-");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public Task Renders_like_kubectl_kustomize(string fixture) => KubectlOracle.AssertSameAsKubectlAsync(fixture);
}
