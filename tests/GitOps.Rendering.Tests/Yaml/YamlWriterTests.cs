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
    public void Long_plain_text_folds_at_the_first_single_space_past_column_80_and_reads_back_the_same()
    {
        var text = string.Join(' ', Enumerable.Repeat("word", 30)) + "  two-spaces stay " + new string('x', 90) + " end";
        var yaml = Write(new JsonObject { ["spec"] = new JsonObject { ["description"] = text } });

        var lines = yaml.Split('\n');
        // "  description: " is 15 columns; the break comes at the first space once the line is past column 80.
        Assert.Equal("  description: " + string.Join(' ', Enumerable.Repeat("word", 14)), lines[1]);
        Assert.StartsWith("    word word", lines[2], StringComparison.Ordinal);
        Assert.Equal(text, (string?)ManifestYaml.Parse(yaml, schema: YamlSchema.Kubernetes)[0].Root!["spec"]!["description"]);
    }

    [Fact]
    public void Literal_blocks_get_an_indentation_indicator_only_when_the_text_starts_with_a_space_or_newline()
    {
        Assert.Equal("v: |\n  a\n    indented\n", Write(new JsonObject { ["v"] = "a\n  indented\n" }));
        Assert.Equal("v: |2\n\n  a\n", Write(new JsonObject { ["v"] = "\na\n" }));
    }

    [Fact]
    public void Quotes_as_go_yaml_does_double_for_other_types_and_control_characters_single_otherwise()
    {
        var yaml = Write(new JsonObject
        {
            ["num"] = "123", ["bool"] = "yes", ["colon"] = "a: b", ["apos"] = "it's: x", ["star"] = "*", ["tab"] = "a\tb",
            ["a: key"] = "v",
        });

        Assert.Equal("num: \"123\"\nbool: \"yes\"\ncolon: 'a: b'\napos: 'it''s: x'\nstar: '*'\ntab: \"a\\tb\"\n'a: key': v\n", yaml);
    }

    [Theory]
    [InlineData("'quoted: text that is long enough to be folded past the eightieth column of the line, twice over'")]
    [InlineData("line one\n  indented with trailing space \nand a long line that goes past the eightieth column  with two spaces")]
    public void Long_quoted_text_folds_and_reads_back_the_same(string text)
    {
        var yaml = Write(new JsonObject { ["data"] = new JsonObject { ["value"] = text } });

        Assert.Contains("\n    ", yaml, StringComparison.Ordinal);
        Assert.All(yaml.Split('\n'), l => Assert.True(l.Length < 120, l));
        Assert.Equal(text, (string?)ManifestYaml.Parse(yaml, schema: YamlSchema.Kubernetes)[0].Root!["data"]!["value"]);
    }

    [Fact]
    public void Numbers_print_as_go_does()
    {
        Assert.Equal("a: 1000\nb: 0.5\nc: 1e+21\n", Write(new JsonObject { ["a"] = 1000.0, ["b"] = 0.5, ["c"] = 1e21 }));
    }
}
