namespace GitOps.Rendering.Helm.Tests;

/// <summary>Hostile inputs: nothing outside the repository is read, and each attempt is a clear RenderException.</summary>
public sealed class SafetyTests : IDisposable
{
    private readonly string _outside = Directory.CreateTempSubdirectory("helm-outside-").FullName;
    private readonly string _repo = Directory.CreateTempSubdirectory("helm-repo-").FullName;
    private readonly string _chart;

    public SafetyTests()
    {
        File.WriteAllText(Path.Combine(_outside, "secret.yaml"), "password: hunter2\n");
        _chart = Path.Combine(_repo, "apps", "web");
        Directory.CreateDirectory(Path.Combine(_chart, "templates"));
        File.WriteAllText(Path.Combine(_chart, "Chart.yaml"), "apiVersion: v2\nname: web\nversion: 0.1.0\n");
        File.WriteAllText(Path.Combine(_chart, "values.yaml"), "password: none\n");
        File.WriteAllText(Path.Combine(_chart, "templates", "cm.yaml"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  password: {{ .Values.password | quote }}\n");
        File.WriteAllText(Path.Combine(_repo, "shared.yaml"), "password: shared\n");
    }

    public void Dispose()
    {
        Directory.Delete(_outside, recursive: true);
        Directory.Delete(_repo, recursive: true);
    }

    private Task<HelmTemplateOutput> Render(HelmOptions options, string chart = "apps/web") =>
        new HelmRenderer().TemplateAsync(_repo, chart, options, null, CancellationToken.None);

    [Theory]
    [InlineData("../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    public async Task Values_file_outside_the_repository_is_refused(string file)
    {
        var e = await Assert.ThrowsAsync<RenderException>(() => Render(new HelmOptions(ValueFiles: [file])));
        Assert.Contains("values file must be a path inside the repository", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Values_file_elsewhere_in_the_repository_is_relative_to_the_chart()
    {
        var output = await Render(new HelmOptions(ValueFiles: ["../../shared.yaml"]));
        Assert.Contains("password: \"shared\"", output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Values_file_is_not_looked_up_at_the_repository_root()
    {
        var e = await Assert.ThrowsAsync<RenderException>(() => Render(new HelmOptions(ValueFiles: ["shared.yaml"])));
        Assert.Equal("shared.yaml: values file not found", e.Message);
    }

    [Fact]
    public async Task Values_file_symlink_inside_the_repository_is_followed()
    {
        File.CreateSymbolicLink(Path.Combine(_chart, "linked.yaml"), Path.Combine("..", "..", "shared.yaml"));
        var output = await Render(new HelmOptions(ValueFiles: ["linked.yaml"]));
        Assert.Contains("password: \"shared\"", output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Values_file_symlink_leaving_the_repository_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_chart, "evil.yaml"), Path.Combine(_outside, "secret.yaml"));
        var e = await Assert.ThrowsAsync<RenderException>(() => Render(new HelmOptions(ValueFiles: ["evil.yaml"])));
        Assert.Contains("outside the repository", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_symlink_leaving_the_repository_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_chart, "templates", "leak.yaml"), Path.Combine(_outside, "secret.yaml"));
        var e = await Assert.ThrowsAsync<RenderException>(() => Render(new HelmOptions()));
        Assert.Contains("symlink points outside the repository root", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chart_directory_symlink_leaving_the_repository_is_refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_repo, "apps", "linked"), _outside);
        await Assert.ThrowsAsync<RenderException>(() => Render(new HelmOptions(), "apps/linked"));
    }

    [Fact]
    public async Task Chart_path_outside_the_repository_is_refused()
    {
        var e = await Assert.ThrowsAsync<RenderException>(() => Render(new HelmOptions(), "../" + Path.GetFileName(_outside)));
        Assert.Contains("escapes the repository root", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_get_cannot_climb_out_of_the_chart()
    {
        File.WriteAllText(Path.Combine(_chart, "templates", "files.yaml"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: f\ndata:\n  a: {{ .Files.Get \"../../shared.yaml\" | quote }}\n  b: {{ .Files.Get \"/etc/passwd\" | quote }}\n");
        var output = await Render(new HelmOptions());
        Assert.Contains("a: \"\"", output.Text, StringComparison.Ordinal);
        Assert.Contains("b: \"\"", output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recursive_include_is_a_clear_error()
    {
        File.WriteAllText(Path.Combine(_chart, "templates", "_loop.tpl"), "{{ define \"loop\" }}{{ include \"loop\" . }}{{ end }}");
        File.WriteAllText(Path.Combine(_chart, "templates", "use.yaml"), "{{ include \"loop\" . }}");
        var e = await Assert.ThrowsAsync<RenderException>(() => Render(new HelmOptions()));
        Assert.Contains("web/templates/", e.Message, StringComparison.Ordinal);
        Assert.Contains("depth", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_error_names_file_line_and_column()
    {
        File.WriteAllText(Path.Combine(_chart, "templates", "bad.yaml"), "a: 1\nb: {{ .Values.missing.key }}\n");
        var e = await Assert.ThrowsAsync<RenderException>(() => Render(new HelmOptions()));
        Assert.Equal("web/templates/bad.yaml", e.File);
        Assert.Equal(2, e.Line);
        Assert.Contains("nil pointer evaluating interface {}.key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_error_names_file_and_line()
    {
        File.WriteAllText(Path.Combine(_chart, "templates", "bad.yaml"), "a: 1\nb: {{ if }}\n");
        var e = await Assert.ThrowsAsync<RenderException>(() => Render(new HelmOptions()));
        Assert.Equal("web/templates/bad.yaml", e.File);
        Assert.Equal(2, e.Line);
        Assert.Contains("parse error", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schema_violation_is_reported()
    {
        File.WriteAllText(Path.Combine(_chart, "values.schema.json"),
            "{\"type\":\"object\",\"required\":[\"password\"],\"properties\":{\"password\":{\"type\":\"string\",\"minLength\":6},\"replicas\":{\"type\":\"integer\"}}}");
        var e = await Assert.ThrowsAsync<RenderException>(() => Render(new HelmOptions(Set: ["replicas=two"])));
        Assert.Contains("values don't meet the specifications of the schema(s)", e.Message, StringComparison.Ordinal);
        Assert.Contains("replicas: Invalid type. Expected: integer, given: string", e.Message, StringComparison.Ordinal);
        Assert.Contains("password: String length must be greater than or equal to 6", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_set_syntax_is_reported()
    {
        var e = await Assert.ThrowsAsync<RenderException>(() => Render(new HelmOptions(Set: ["novalue"])));
        Assert.Contains("failed parsing --set data", e.Message, StringComparison.Ordinal);
    }
}
