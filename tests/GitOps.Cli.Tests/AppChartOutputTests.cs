using GitOps.Api.V1;
using GitOps.Cli.Output;

namespace GitOps.Cli.Tests;

/// <summary>`gitops app get` of an app from a chart repository shows the chart and the version it resolved to
/// (unshortened), in text and in -o json/yaml; a git app keeps its short SHA.</summary>
public sealed class AppChartOutputTests
{
    private static Application ChartApp() => new()
    {
        Name = "metallb",
        Source = new GitOps.Api.V1.Source { RepoUrl = "https://charts.example.com", Chart = "metallb", TargetRevision = "0.13.*", Path = "." },
        Destination = new Destination { Namespace = "metallb-system" },
        Revision = new Revision { Sha = "0.13.10", Subject = "chart metallb 0.13.10 (sha256:0123456789ab)" },
    };

    [Fact]
    public void Text_shows_chart_range_and_resolved_version()
    {
        var text = AppPrinter.Details(ChartApp());

        Assert.Contains("Source:      https://charts.example.com chart metallb @ 0.13.*\n", text, StringComparison.Ordinal);
        Assert.Contains("Chart:       metallb 0.13.10\n", text, StringComparison.Ordinal);
        Assert.Contains("Revision:    0.13.10 chart metallb 0.13.10", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_carries_the_chart_and_a_git_sha_is_still_shortened()
    {
        var json = AppPrinter.ToJson(ChartApp());

        Assert.Equal("metallb", (string?)json["source"]!["chart"]);
        Assert.Equal("0.13.10", (string?)json["revision"]);
        Assert.Equal("0123456", AppPrinter.ShortSha("0123456789abcdef0123456789abcdef01234567"));
        Assert.Equal("0.13.100", AppPrinter.ShortSha("0.13.100"));
    }
}
