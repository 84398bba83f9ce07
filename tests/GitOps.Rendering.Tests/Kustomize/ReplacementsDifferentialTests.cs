namespace GitOps.Rendering.Tests.Kustomize;

/// <summary>Differential fixtures `repl-*`: replacements and vars; each must equal `kubectl kustomize`.</summary>
public sealed class ReplacementsDifferentialTests
{
    public static IEnumerable<object[]> Fixtures => KubectlOracle.Cases("repl-");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public Task Renders_like_kubectl_kustomize(string fixture) => KubectlOracle.AssertSameAsKubectlAsync(fixture);
}
