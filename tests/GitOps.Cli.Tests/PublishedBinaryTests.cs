namespace GitOps.Cli.Tests;

/// <summary>The shipped `gitops` (Native AOT, trimmed) prints exactly what the JIT build prints for the offline
/// commands — output, errors and exit codes. Meaningful when GITOPS_TEST_CLI names the published binary (.ci/run
/// publishes it with hack/publish-cli.sh); without it both sides are the JIT build and this checks only that a
/// render is deterministic. The gRPC commands run against the published binary in the other test classes.</summary>
public sealed class PublishedBinaryTests
{
    public static TheoryData<string[]> Commands => new()
    {
        { ["render", "examples/echo-ip/overlays/prod"] },
        { ["render", "examples/metallb"] },
        { ["render", "examples/rollout-nginx"] },
        { ["render", "examples/helm-echo", "-f", "examples/helm-echo/values-prod.yaml", "--set", "replicaCount=5", "--release-name", "rel"] },
        { ["render-template", "tests/GitOps.Cli.Tests/testdata/functions.tpl", "--data", "tests/GitOps.Cli.Tests/testdata/functions-data.yaml"] },
        { ["render-template", "examples/helm-echo/templates/configmap.yaml", "--data", "examples/helm-echo/values.yaml"] },
        { ["render", "examples/does-not-exist"] },
        { ["render", "examples/echo-ip/overlays/prod", "--load-restrictor", "Nope"] },
        { ["--version"] },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Prints_what_the_JIT_build_prints(string[] args)
    {
        var shipped = await Cli.RunAsync(args);
        var jit = await Cli.RunJitAsync(args);

        Assert.Equal(jit.ExitCode, shipped.ExitCode);
        Assert.Equal(jit.Stdout, shipped.Stdout);
        Assert.Equal(jit.Stderr, shipped.Stderr);
    }
}
