using System.Text.Json.Nodes;
using GitOps.Rendering.Yaml;

namespace GitOps.Rendering.Tests.Yaml;

public sealed class YamlReaderTests
{
    private static JsonNode? One(string yaml, YamlSchema schema) => ManifestYaml.Parse(yaml, "f.yaml", schema)[0].Root;

    [Theory]
    [InlineData("v: yes", YamlSchema.Kubernetes, "true")]
    [InlineData("v: yes", YamlSchema.Kustomize, "\"yes\"")]
    [InlineData("v: n", YamlSchema.Kubernetes, "false")]
    [InlineData("v: 0644", YamlSchema.Kustomize, "420")]
    [InlineData("v: 0x1F", YamlSchema.Kustomize, "31")]
    [InlineData("v: 1_000", YamlSchema.Kustomize, "1000")]
    [InlineData("v: 08", YamlSchema.Kustomize, "8")]
    [InlineData("v: 1e400", YamlSchema.Kustomize, "\"1e400\"")]
    [InlineData("v: '0644'", YamlSchema.Kustomize, "\"0644\"")]
    [InlineData("v: !!str 5", YamlSchema.Kustomize, "\"5\"")]
    [InlineData("v: ~", YamlSchema.Kustomize, "null")]
    [InlineData("v: 2001-12-14", YamlSchema.Kustomize, "\"2001-12-14T00:00:00Z\"")]
    [InlineData("v: 1:20", YamlSchema.Kustomize, "\"1:20\"")]
    public void Types_plain_scalars_like_the_reference_tool(string yaml, YamlSchema schema, string json) =>
        Assert.Equal(json, One(yaml, schema)!["v"]?.ToJsonString() ?? "null");

    [Fact]
    public void Splits_documents_and_reports_their_lines()
    {
        var docs = ManifestYaml.Parse("a: 1\n---\n---\nb: 2\n");
        Assert.Equal(3, docs.Count);
        Assert.Null(docs[1].Root);
        Assert.Equal(4, docs[2].Line);
    }

    [Fact]
    public void Syntax_errors_carry_file_line_and_column()
    {
        var e = Assert.Throws<RenderException>(() => ManifestYaml.Parse("a: 1\nb: [1, 2\n", "bad.yaml"));
        Assert.Equal("bad.yaml", e.File);
        Assert.NotNull(e.Line);
        Assert.NotNull(e.Column);
        Assert.StartsWith("bad.yaml:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aliases_and_merge_keys_are_expanded()
    {
        var root = One("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n", YamlSchema.Kustomize)!;
        Assert.Equal("{\"x\":1,\"y\":3}", root["other"]!.ToJsonString());
    }

    [Fact]
    public void An_alias_bomb_is_refused_with_a_clear_error()
    {
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (var i = 'b'; i <= 'k'; i++)
        {
            var prev = (char)(i - 1);
            bomb += $"{i}: &{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n";
        }

        var e = Assert.Throws<RenderException>(() => ManifestYaml.Parse(bomb, "bomb.yaml"));
        Assert.Contains("alias bomb", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_refused()
    {
        var deep = new string('[', 1000) + new string(']', 1000);
        var e = Assert.Throws<RenderException>(() => ManifestYaml.Parse(deep, "deep.yaml"));
        Assert.Contains("nesting", e.Message, StringComparison.Ordinal);
    }
}
