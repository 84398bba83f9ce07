using GitOps.Rendering.Yaml;

namespace GitOps.Rendering.Tests.Yaml;

/// <summary>Every YAML error names the file, line and column: the common typo (an unclosed flow sequence followed
/// by another key), and a fuzz over truncated and mismatched flow collections (generated here, deterministic).</summary>
public sealed class YamlErrorPositionTests
{
    [Fact]
    public void An_unclosed_flow_sequence_names_file_line_and_column()
    {
        var e = Assert.Throws<RenderException>(() => ManifestYaml.Parse("a: [unclosed\nb: 1\n", "app/cm.yaml"));
        Assert.Equal("app/cm.yaml", e.File);
        Assert.NotNull(e.Line);
        Assert.NotNull(e.Column);
        Assert.StartsWith("app/cm.yaml:", e.Message, StringComparison.Ordinal);
        Assert.Contains("invalid YAML", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("current state of the object", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> Seeds => new()
    {
        "a: [1, 2, 3]\nb: 1\n",
        "a: {x: 1, y: [2, 3]}\nb: 1\n",
        "a: [{x: 1}, {y: [2, {z: 3}]}]\nb: 1\n",
        "- [a, b]\n- {c: d}\n- e\n",
        "a:\n  b: [1, \"two\", 'three']\n  c: {d: [e, f]}\nb: 1\n",
        "---\na: [1]\n---\nb: {c: [d, {e: f}]}\n",
    };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Truncated_and_mismatched_flow_collections_always_fail_with_a_position(string seed)
    {
        foreach (var input in Variants(seed))
        {
            try
            {
                ManifestYaml.Parse(input, "fuzz.yaml");
            }
            catch (RenderException e)
            {
                var lines = input.Split('\n').Length;
                Assert.True(e.File == "fuzz.yaml" && e.Line is >= 1 && e.Line <= lines + 1 && e.Column is >= 1,
                    $"no usable position for {Show(input)}: {e.Message}");
                Assert.StartsWith($"fuzz.yaml:{e.Line}:{e.Column}: ", e.Message, StringComparison.Ordinal);
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name} for {Show(input)}: {e.Message}");
            }
        }
    }

    /// <summary>Every prefix (with and without a following key), each closer dropped, and each closer swapped
    /// for the other kind.</summary>
    private static IEnumerable<string> Variants(string seed)
    {
        for (var i = 1; i < seed.Length; i++)
        {
            yield return seed[..i];
            yield return seed[..i] + "\nb: 1\n";
        }

        for (var i = 0; i < seed.Length; i++)
        {
            if (seed[i] is ']' or '}')
            {
                yield return seed.Remove(i, 1);
                yield return seed[..i] + (seed[i] == ']' ? '}' : ']') + seed[(i + 1)..];
            }
            else if (seed[i] is '[' or '{')
            {
                yield return seed[..i] + (seed[i] == '[' ? '{' : '[') + seed[(i + 1)..];
            }
        }
    }

    private static string Show(string input) => "\"" + input.Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
