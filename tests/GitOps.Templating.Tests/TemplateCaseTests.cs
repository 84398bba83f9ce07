using System.Text.RegularExpressions;
using GitOps.Templating.Functions;
using GitOps.Templating.Serialization;

namespace GitOps.Templating.Tests;

/// <summary>Table-driven template cases from testdata/templates/*.yaml (text/template defaults, as render-template).</summary>
public sealed class TemplateCaseTests
{
    private static readonly Lazy<Dictionary<string, Dictionary<string, object?>>> Cases = new(Load);

    private static Dictionary<string, Dictionary<string, object?>> Load()
    {
        var result = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        var dir = Path.Combine(AppContext.BaseDirectory, "testdata", "templates");
        foreach (var file in Directory.GetFiles(dir, "*.yaml").Order(StringComparer.Ordinal))
        {
            var list = (List<object?>)GoYamlReader.Read(File.ReadAllText(file), numbersAsFloat: true)!;
            foreach (Dictionary<string, object?> c in list.Cast<Dictionary<string, object?>>())
            {
                var key = Path.GetFileNameWithoutExtension(file) + ": " + (string)c["name"]!;
                Assert.False(result.ContainsKey(key), $"duplicate case {key}");
                result[key] = c;
            }
        }
        return result;
    }

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var k in Cases.Value.Keys) data.Add(k);
        return data;
    }

    [Fact]
    public void There_are_hundreds_of_cases() => Assert.True(Cases.Value.Count >= 300, $"only {Cases.Value.Count} cases");

    [Theory]
    [MemberData(nameof(Names))]
    public void Template_case(string name)
    {
        var c = Cases.Value[name];
        var template = c["template"] as string ?? "";
        var data = c.TryGetValue("data", out var d) ? d : GoValues.NewMap();
        string? output = null;
        Exception? error = null;
        try
        {
            output = TemplateText.Render("t", template, data);
        }
        catch (TemplateException e)
        {
            error = e;
        }
        if (c.GetValueOrDefault("error") is string expectedError)
        {
            Assert.True(error is not null, $"expected error containing '{expectedError}', got output '{output}'");
            Assert.Contains(expectedError, error!.Message, StringComparison.Ordinal);
            return;
        }
        Assert.True(error is null, error?.Message);
        if (c.GetValueOrDefault("expectedPattern") is string pattern)
        {
            Assert.Matches(new Regex(pattern), output!);
            return;
        }
        Assert.Equal(GoFormat.Value(c["expected"]), output);
    }
}
