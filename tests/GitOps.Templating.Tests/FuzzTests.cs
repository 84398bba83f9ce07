using System.Diagnostics;
using System.Text;
using GitOps.Templating.Functions;
using GitOps.Templating.Serialization;

namespace GitOps.Templating.Tests;

/// <summary>Property: random template text never crashes the process or hangs; it renders or fails with TemplateException.</summary>
public sealed class FuzzTests
{
    private static readonly string[] Fragments =
    [
        "{{", "}}", "{{-", "-}}", " ", "\n", ".", ".a", ".b.c", "$", "$x", ":=", "=", "|", "(", ")", "\"s\"", "`r`", "'c'",
        "1", "-2", "3.5", "0x1F", "true", "nil", "if", "else", "end", "range", "with", "define", "template", "block",
        "break", "continue", "\"t\"", "printf", "\"%d %s %v\"", "len", "index", "eq", "and", "or", "not", "include",
        "tpl", "toYaml", "default", "quote", "nindent", "4", "dict", "list", "trunc", "required", "/*", "*/", ",", "text",
        "{{/* c */}}", "{{end}}", "{{else}}", "{{ if .a }}", "{{ range $i, $v := .l }}", "{{ with .m }}", "{{ define \"t\" }}",
        "{{ template \"t\" . }}", "{{ include \"t\" . }}", "{{ tpl \"{{ .a }}\" . }}", "{{ $x := 1 }}", "{{ $x = 2 }}",
    ];

    private static object? Data() => GoYamlReader.Read("a: 1\nb: {c: [1, two, {d: e}]}\nl: [x, z]\nm: {k: v}\ns: str\n", numbersAsFloat: true);

    [Fact]
    public void Random_fragment_templates_never_crash_or_hang()
    {
        var random = new Random(20260523);
        var data = Data();
        var functions = FunctionLibrary.Create();
        var watch = Stopwatch.StartNew();
        var rendered = 0;
        for (var i = 0; i < 3000; i++)
        {
            var sb = new StringBuilder();
            var n = random.Next(1, 30);
            for (var k = 0; k < n; k++) sb.Append(Fragments[random.Next(Fragments.Length)]);
            if (Run(functions, sb.ToString(), data)) rendered++;
        }
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"fuzzing took {watch.Elapsed}");
        Assert.True(rendered > 0);
    }

    [Fact]
    public void Random_bytes_never_crash()
    {
        var random = new Random(7);
        var functions = FunctionLibrary.Create();
        const string alphabet = "{}()$.|:=\"'`-+ \n\tabcdeif0123456789,/*\\";
        for (var i = 0; i < 3000; i++)
        {
            var chars = new char[random.Next(0, 60)];
            for (var k = 0; k < chars.Length; k++) chars[k] = alphabet[random.Next(alphabet.Length)];
            Run(functions, new string(chars), Data());
        }
    }

    [Theory]
    [InlineData(100_000, "{{(")]
    [InlineData(20_000, "{{if true}}")]
    [InlineData(20_000, "{{block \"b\" .}}")]
    public void Deep_nesting_is_an_error_not_a_stack_overflow(int depth, string open)
    {
        var text = string.Concat(Enumerable.Repeat(open, depth));
        Assert.ThrowsAny<Exception>(() => TemplateText.Render("deep", text, null));
    }

    [Fact]
    public void Deep_yaml_is_an_error_not_a_stack_overflow() =>
        Assert.Throws<YamlReadException>(() => GoYamlReader.Read(new string('[', 50_000), numbersAsFloat: true));

    [Fact]
    public void Yaml_alias_bomb_is_rejected()
    {
        var sb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 12; i++)
            sb.Append($"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        Assert.Throws<YamlReadException>(() => GoYamlReader.Read(sb.ToString(), numbersAsFloat: true));
    }

    [Fact]
    public void Endless_loop_hits_the_time_limit()
    {
        var set = new TemplateSet(FunctionLibrary.Create());
        set.Parse("loop", "{{range until 100000}}{{range until 100000}}{{end}}{{end}}");
        var e = Assert.Throws<TemplateException>(() => set.Execute("loop", null, new ExecutionLimits(Timeout: TimeSpan.FromMilliseconds(300))));
        Assert.Contains("time limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Huge_output_hits_the_size_limit()
    {
        var set = new TemplateSet(FunctionLibrary.Create());
        set.Parse("big", "{{range until 1000000}}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{{end}}");
        var e = Assert.Throws<TemplateException>(() => set.Execute("big", null, new ExecutionLimits(MaxOutputChars: 1_000_000)));
        Assert.Contains("output exceeds", e.Message, StringComparison.Ordinal);
    }

    private static bool Run(IReadOnlyDictionary<string, GoFunction> functions, string text, object? data)
    {
        try
        {
            var set = new TemplateSet(functions);
            set.Parse("fuzz", text);
            set.Execute("fuzz", data, new ExecutionLimits(MaxDepth: 50, MaxOutputChars: 100_000, Timeout: TimeSpan.FromSeconds(2)));
            return true;
        }
        catch (TemplateException)
        {
            return false;
        }
    }
}
