using GitOps.Controller.Promotion;

namespace GitOps.Controller.Tests.Promotion;

/// <summary>A Pipeline document is read into the spec or refused with a message naming the file, line and field.</summary>
public sealed class PipelineDocumentsTests : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"pipelines-{Guid.NewGuid():N}.yaml");

    public void Dispose() => File.Delete(file);

    [Fact]
    public void A_valid_pipeline_is_read_with_its_gates()
    {
        File.WriteAllText(file, """
            apiVersion: gitops.dev/v1alpha1
            kind: Pipeline
            metadata: {name: sample}
            spec:
              stages:
                - {name: canary, application: sample-canary}
                - name: prod
                  application: sample-prod
                  autoPromote: false
                  gates: {requireHealthyFor: 2m, approval: {count: 2}}
            """);

        var pipeline = Assert.Single(PipelineDocuments.LoadFile(file));

        Assert.Equal(["sample-canary", "sample-prod"], pipeline.Applications);
        var prod = pipeline.Stage("prod")!;
        Assert.False(prod.AutoPromote);
        Assert.Equal(("2m", 2, true), (prod.Gates!.RequireHealthyFor, prod.Gates.Approval!.Count, prod.Gates.Approval.Required));
    }

    [Fact]
    public void The_example_pipeline_and_its_applications_load()
    {
        var example = Path.Combine(GitOps.Testing.RepositoryLayout.Root, "examples", "sample-app");

        var pipeline = Assert.Single(PipelineDocuments.LoadFile(Path.Combine(example, "pipeline.yaml")));
        var apps = GitOps.Applications.ApplicationDocuments.LoadFile(Path.Combine(example, "applications.yaml"));

        Assert.Equal(apps.Select(a => a.Name), pipeline.Applications);
        Assert.Equal(("2m", true), (pipeline.Stage("prod")!.Gates!.RequireHealthyFor, pipeline.Stage("prod")!.Gates!.Approval!.Required));
    }

    [Theory]
    [InlineData("gates: {requireHealthyFor: soon}", "spec.stages[1].gates.requireHealthyFor 'soon' is not a duration")]
    [InlineData("gates: {verification: {job: {backoffLimit: 0}}}", "spec.stages[1].gates.verification.job needs a template")]
    [InlineData("gatez: {}", "invalid spec at $.stages[1].gatez")]
    public void An_invalid_pipeline_is_refused_naming_file_line_and_field(string prodField, string expected)
    {
        File.WriteAllText(file, $$"""
            apiVersion: gitops.dev/v1alpha1
            kind: Pipeline
            metadata: {name: sample}
            spec:
              stages:
                - {name: canary, application: sample-canary}
                - {name: prod, application: sample-prod, {{prodField}}}
            """);

        var e = Assert.Throws<InvalidDataException>(() => PipelineDocuments.LoadFile(file));

        Assert.StartsWith($"{file}:1: pipeline 'sample'", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
