using GitOps.Rendering.Plain;

namespace GitOps.Rendering.Tests.Plain;

public sealed class PlainRendererTests
{
    private static string Fixture => Path.Combine(AppContext.BaseDirectory, "testdata", "plain");

    private static Task<RenderResult> Render(string path, DirectoryOptions? options = null) =>
        new PlainRenderer().RenderAsync(new RenderRequest(Fixture, path, new RenderOptions(Directory: options)), CancellationToken.None);

    [Fact]
    public async Task Reads_yaml_yml_and_json_files_in_name_order_skipping_empty_documents()
    {
        var result = await Render("app");
        Assert.Equal(["cm-a", "cm-b", "svc", "json-cm"], result.Manifests.Select(m => m.Name));
        Assert.Equal("app/a.yaml", result.Manifests[0].Source);
    }

    [Fact]
    public async Task Does_not_recurse_unless_asked()
    {
        var flat = await Render("app");
        var deep = await Render("app", new DirectoryOptions(Recurse: true));
        Assert.DoesNotContain(flat.Manifests, m => m.Name == "nested");
        Assert.Contains(deep.Manifests, m => m.Name == "nested");
    }

    [Fact]
    public async Task Include_and_exclude_globs_match_the_relative_path()
    {
        var included = await Render("app", new DirectoryOptions(Recurse: true, Include: "{*.yml,sub/*}"));
        Assert.Equal(["svc", "nested"], included.Manifests.Select(m => m.Name));
        var excluded = await Render("app", new DirectoryOptions(Recurse: true, Exclude: "*.json"));
        Assert.DoesNotContain(excluded.Manifests, m => m.Name == "json-cm");
    }

    [Fact]
    public async Task List_kinds_are_expanded_into_their_items()
    {
        var result = await Render("list");
        Assert.Equal(["one", "two"], result.Manifests.Select(m => m.Name));
    }

    [Fact]
    public async Task A_document_without_kind_is_an_error_naming_the_file_and_line()
    {
        var e = await Assert.ThrowsAsync<RenderException>(() => Render("broken"));
        Assert.Equal("broken/nokind.yaml", e.File);
        Assert.Equal(5, e.Line);
        Assert.Contains("no kind", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_manifests_use_kubernetes_yaml_1_1_typing()
    {
        var result = await Render("typing");
        var spec = result.Manifests[0].Object["spec"]!;
        Assert.False((bool)spec["n"]!);
        Assert.True((bool)spec["on"]!);
        Assert.Equal(420, (long)spec["mode"]!);
        Assert.Equal("0644", (string)spec["quoted"]!);
    }
}
