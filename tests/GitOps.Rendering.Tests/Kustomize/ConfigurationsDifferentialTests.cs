namespace GitOps.Rendering.Tests.Kustomize;

/// <summary>Differential fixtures `config-*`: `configurations:` with custom field specs for every transformer;
/// each must equal `kubectl kustomize`.</summary>
public sealed class ConfigurationsDifferentialTests
{
    public static IEnumerable<object[]> Fixtures => KubectlOracle.Cases("config-");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public Task Renders_like_kubectl_kustomize(string fixture) => KubectlOracle.AssertSameAsKubectlAsync(fixture);
}
