using GitOps.Templating.Serialization;

namespace GitOps.Rendering.Helm.Tests;

/// <summary>Charts under testdata/charts/NAME/chart with hand-written `helm template` output in expected.yaml
/// and the flags in case.yaml (set, setString, valueFiles, releaseName, namespace, skipCrds, error; `helm template`
/// flags noHooks, skipTests, showOnly, kubeVersion, apiVersions and helm: 3, 4 or 4.2 for the release matched).</summary>
public sealed class ChartFixtureTests
{
    private static string Root => Path.Combine(AppContext.BaseDirectory, "testdata", "charts");

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Root).Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(dir));
        return data;
    }

    [Fact]
    public void There_are_at_least_eight_fixtures() => Assert.True(Fixtures().Count >= 8);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Chart_renders_as_helm_template(string fixture)
    {
        var dir = Path.Combine(Root, fixture);
        var c = GoYamlReader.Read(await File.ReadAllTextAsync(Path.Combine(dir, "case.yaml")), numbersAsFloat: false) as Dictionary<string, object?> ?? [];
        List<string>? Strings(string key) => (c.GetValueOrDefault(key) as List<object?>)?.Select(x => x!.ToString()!).ToList();
        var options = new HelmOptions(
            ValueFiles: Strings("valueFiles"),
            Set: Strings("set"),
            SetString: Strings("setString"),
            ReleaseName: c.GetValueOrDefault("releaseName") as string,
            Namespace: c.GetValueOrDefault("namespace") as string,
            SkipCrds: c.GetValueOrDefault("skipCrds") is true);
        var template = new HelmTemplateOptions(
            KubeVersion: c.GetValueOrDefault("kubeVersion") as string,
            ApiVersions: Strings("apiVersions"),
            SkipTests: c.GetValueOrDefault("skipTests") is true,
            ShowOnly: Strings("showOnly"),
            NoHooks: c.GetValueOrDefault("noHooks") is true,
            Compatibility: c.GetValueOrDefault("helm")?.ToString() switch
            {
                null or "3" => HelmCompatibility.Helm3,
                "4" => HelmCompatibility.Helm4,
                "4.2" => HelmCompatibility.Helm42,
                var other => throw new InvalidOperationException($"case.yaml: helm: {other}"),
            });
        var renderer = new HelmRenderer();
        if (c.GetValueOrDefault("error") is string expectedError)
        {
            var e = await Assert.ThrowsAsync<RenderException>(() => renderer.TemplateAsync(dir, "chart", options, template, CancellationToken.None));
            Assert.Equal(expectedError, e.Message);
            return;
        }
        var output = await renderer.TemplateAsync(dir, "chart", options, template, CancellationToken.None);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(dir, "expected.yaml")), output.Text);
        Assert.All(output.Manifests, m => Assert.False(string.IsNullOrEmpty(m.Source)));
    }
}
