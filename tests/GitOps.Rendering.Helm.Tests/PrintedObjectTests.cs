namespace GitOps.Rendering.Helm.Tests;

/// <summary>The objects handed to diff/apply are what `helm template` prints, read as a YAML stream: a block scalar
/// ending a document keeps its final newline, and --no-hooks / --show-only leave out what they leave out of the text.</summary>
public sealed class PrintedObjectTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "testdata", "charts", name);

    private static Task<HelmTemplateOutput> Render(string fixture, HelmTemplateOptions? template = null) =>
        new HelmRenderer().TemplateAsync(Fixture(fixture), "chart", new HelmOptions(), template, CancellationToken.None);

    [Fact]
    public async Task Block_scalar_ending_a_document_keeps_its_final_newline()
    {
        var output = await Render("block-scalar");

        var cm = Assert.Single(output.Manifests);
        Assert.Equal("#!/bin/sh\necho hello\n", (string?)cm.Object["data"]!["run.sh"]);
    }

    [Fact]
    public async Task No_hooks_leaves_hooks_out_of_the_objects_too()
    {
        var all = await Render("hook-kinds");
        var noHooks = await Render("hook-kinds", new HelmTemplateOptions(NoHooks: true));

        Assert.Equal(["plain", "hook-sa", "migrate"], all.Manifests.Select(m => m.Name));
        Assert.Equal(["plain"], noHooks.Manifests.Select(m => m.Name));
    }

    [Fact]
    public async Task Show_only_objects_are_the_documents_kept()
    {
        var output = await Render("show-only", new HelmTemplateOptions(ShowOnly: ["templates/b.yaml", "crds/*"]));

        Assert.Equal(["b1", "b2", "things.example.com"], output.Manifests.Select(m => m.Name));
        Assert.Equal("shower/templates/b.yaml", output.Manifests[0].Source);
    }

    [Fact]
    public async Task Show_only_pattern_matching_nothing_is_an_error()
    {
        var e = await Assert.ThrowsAsync<RenderException>(() => Render("show-only", new HelmTemplateOptions(ShowOnly: ["templates/*.yml"])));

        Assert.Equal("could not find template templates/*.yml in chart", e.Message);
    }

    [Fact]
    public async Task A_crd_file_is_printed_whole_but_each_of_its_documents_is_an_object()
    {
        var output = await Render("show-only");

        Assert.Contains("---\n# Source: shower/crds/things.yaml\n# Things and their lists\n", output.Text, StringComparison.Ordinal);
        Assert.Single(output.Documents, d => d.Kind == HelmTemplateDocumentKind.Crd);
        Assert.Equal(2, output.Manifests.Count(m => m.Kind == "CustomResourceDefinition"));
    }

    [Fact]
    public async Task Quoted_scalars_continued_on_less_indented_lines_read_as_go_yaml_reads_them()
    {
        var output = await Render("yaml-flow-continuation");

        var data = Assert.Single(output.Manifests).Object["data"]!;
        Assert.Equal("(a|b)", (string?)data["regex"]);
        Assert.Equal("one two", (string?)data["words"]);
        Assert.Equal("x y", (string?)data["nested"]![0]!["key"]);
    }
}
