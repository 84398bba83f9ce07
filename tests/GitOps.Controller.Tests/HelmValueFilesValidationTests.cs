using GitOps.Applications;
using GitOps.Controller.Applications;

namespace GitOps.Controller.Tests;

/// <summary>spec.source.helm.valueFiles are relative to the chart and may be anywhere in the repository, never outside.</summary>
public sealed class HelmValueFilesValidationTests
{
    private static IReadOnlyList<string> Validate(string path, string valueFile) =>
        ApplicationValidator.Validate(new Application("demo", new ApplicationSpec
        {
            Source = new SourceSpec { RepoUrl = "file:///repo", Path = path, Helm = new HelmSpec { ValueFiles = [valueFile] } },
            Destination = new DestinationSpec { Namespace = "demo" },
        }));

    [Theory]
    [InlineData("charts/web", "values-prod.yaml")]
    [InlineData("charts/web", "../../envs/prod/values.yaml")]
    [InlineData("charts/web", "./../web/values.yaml")]
    public void A_value_file_inside_the_repository_is_valid(string path, string file) =>
        Assert.DoesNotContain(Validate(path, file), e => e.Contains("valueFiles", StringComparison.Ordinal));

    [Theory]
    [InlineData("charts/web", "../../../secrets.yaml")]
    [InlineData(".", "../values.yaml")]
    [InlineData("charts/web", "/etc/passwd")]
    public void A_value_file_outside_the_repository_is_refused(string path, string file) =>
        Assert.Contains(Validate(path, file), e => e.Contains("must be relative to the chart and stay inside the repository", StringComparison.Ordinal));
}
