using System.Text.Json.Nodes;
using GitOps.Rendering.Yaml;

namespace GitOps.Rendering.Tests.Yaml;

public sealed class YamlWriterTests
{
    private static string Write(JsonObject o) => ManifestYaml.Write([new Manifest(o)]);

    [Fact]
    public void Writes_block_style_with_unindented_sequences_in_key_order()
    {
        var yaml = Write(new JsonObject { ["kind"] = "A", ["list"] = new JsonArray(1, new JsonObject { ["b"] = 2, ["a"] = 1 }), ["empty"] = new JsonObject() });
        Assert.Equal("kind: A\nlist:\n- 1\n- b: 2\n  a: 1\nempty: {}\n", yaml);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("n")]
    [InlineData("0644")]
    [InlineData("1e3")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData("a: b")]
    [InlineData("- x")]
    [InlineData("#x")]
    [InlineData("2024-01-02")]
    [InlineData("1:20")]
    [InlineData(" lead")]
    [InlineData("tab\there")]
    [InlineData("line\nbreak\n")]
    [InlineData("no trailing newline\nx")]
    [InlineData("\u2028odd")]
    public void Strings_round_trip_under_both_schemas(string value)
    {
        var yaml = Write(new JsonObject { ["v"] = value });
        foreach (var schema in new[] { YamlSchema.Kubernetes, YamlSchema.Kustomize })
        {
            Assert.Equal(value, (string?)ManifestYaml.Parse(yaml, schema: schema)[0].Root!["v"]);
        }
    }

    [Fact]
    public void Multi_line_strings_use_literal_blocks()
    {
        Assert.Equal("v: |\n  a\n  b\n", Write(new JsonObject { ["v"] = "a\nb\n" }));
    }

    [Fact]
    public void Numbers_print_as_go_does()
    {
        Assert.Equal("a: 1000\nb: 0.5\nc: 1e+21\n", Write(new JsonObject { ["a"] = 1000.0, ["b"] = 0.5, ["c"] = 1e21 }));
    }
}
