using GitOps.Applications;
using GitOps.Controller.Applications;

namespace GitOps.Controller.Tests;

/// <summary>Unit: a multi-source spec has exactly one rendered source, ref names that value files use, value files
/// that stay inside their ref's repository, and every source's repository inside the project.</summary>
public sealed class MultiSourceValidationTests
{
    private static Application App(params SourceSpec[] sources) => new("shop", new ApplicationSpec
    {
        Sources = sources,
        Destination = new DestinationSpec { Namespace = "shop" },
    }.WithSources());

    private static SourceSpec Chart(params string[] valueFiles) => new()
    {
        RepoUrl = "https://charts.example.com", Chart = "shop", TargetRevision = "1.x",
        Helm = new HelmSpec { ValueFiles = valueFiles },
    };

    private static SourceSpec Values(string name = "values") =>
        new() { RepoUrl = "https://git.example.com/values.git", TargetRevision = "main", Ref = name };

    [Fact]
    public void A_chart_with_a_ref_source_is_valid_and_becomes_the_source()
    {
        var app = App(Chart("$values/envs/prod.yaml"), Values());

        Assert.Empty(ApplicationValidator.Validate(app));
        Assert.Equal("shop", app.Spec.Source.Chart);
        Assert.Equal("values", Assert.Single(app.Spec.Source.ValueSources).Ref);
    }

    [Fact]
    public void Two_rendered_sources_an_unknown_ref_and_a_climbing_value_file_are_refused()
    {
        Assert.Contains(ApplicationValidator.Validate(App(Chart(), Chart())), e => e.Contains("exactly one source without a ref", StringComparison.Ordinal));
        Assert.Contains(ApplicationValidator.Validate(App(Chart("$other/prod.yaml"), Values())), e => e.Contains("names no ref source", StringComparison.Ordinal));
        Assert.Contains(ApplicationValidator.Validate(App(Chart("$values/../../etc/passwd"), Values())), e => e.Contains("stay inside", StringComparison.Ordinal));
        Assert.Contains(ApplicationValidator.Validate(App(Chart(), Values("bad name!"))), e => e.Contains("ref 'bad name!'", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_sources_repository_must_be_in_the_project()
    {
        var project = new Project("p", new ProjectSpec { SourceRepos = ["https://charts.example.com"] });

        var problems = project.Check(App(Chart("$values/prod.yaml"), Values()));

        Assert.Equal(["repository https://git.example.com/values.git is not a source of project 'p'"], problems);
    }
}
