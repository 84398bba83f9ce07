namespace GitOps.Rendering.Tests.Kustomize;

/// <summary>Differential fixtures `patch-*`: patchesStrategicMerge, patchesJson6902, patches with targets, SMP directives; each must equal `kubectl kustomize`.</summary>
public sealed class PatchesDifferentialTests
{
    public static IEnumerable<object[]> Fixtures => KubectlOracle.Cases("patch-");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public Task Renders_like_kubectl_kustomize(string fixture) => KubectlOracle.AssertSameAsKubectlAsync(fixture);
}
