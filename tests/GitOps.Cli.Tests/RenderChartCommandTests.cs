namespace GitOps.Cli.Tests;

/// <summary>`gitops render CHART` prints what `helm template` prints and takes its flags: -f relative to the working
/// directory, --output-dir, --no-hooks, CRDs only with --include-crds, symlinks followed inside the work tree.</summary>
public sealed class RenderChartCommandTests : IDisposable
{
    private readonly string _repo = Directory.CreateTempSubdirectory("gitops-chart-").FullName;
    private readonly string _chart;

    public RenderChartCommandTests()
    {
        Directory.CreateDirectory(Path.Combine(_repo, ".git"));
        _chart = Path.Combine(_repo, "charts", "web");
        Directory.CreateDirectory(Path.Combine(_chart, "templates"));
        Directory.CreateDirectory(Path.Combine(_chart, "crds"));
        File.WriteAllText(Path.Combine(_chart, "Chart.yaml"), "apiVersion: v2\nname: web\nversion: 0.1.0\n");
        File.WriteAllText(Path.Combine(_chart, "values.yaml"), "color: default\n");
        File.WriteAllText(Path.Combine(_chart, "prod.yaml"), "color: chart-prod\n");
        File.WriteAllText(Path.Combine(_chart, "templates", "cm.yaml"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  color: {{ .Values.color }}\n");
        File.WriteAllText(Path.Combine(_chart, "templates", "job.yaml"),
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    helm.sh/hook: pre-install\n");
        File.WriteAllText(Path.Combine(_chart, "crds", "widgets.yaml"),
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n");
        Directory.CreateDirectory(Path.Combine(_repo, "envs"));
        File.WriteAllText(Path.Combine(_repo, "envs", "prod.yaml"), "color: user-prod\n");
    }

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private const string Cm = "---\n# Source: web/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  color: {0}\n";
    private const string Job = "---\n# Source: web/templates/job.yaml\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    helm.sh/hook: pre-install\n";

    [Fact]
    public async Task Prints_helm_templates_text_with_hooks_and_without_crds_by_default()
    {
        var result = await Cli.RunInAsync(_repo, null, "render", "charts/web");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Format(Cm, "default") + Job, result.Stdout);
    }

    [Fact]
    public async Task Values_file_is_relative_to_the_working_directory_not_the_chart()
    {
        var result = await Cli.RunInAsync(Path.Combine(_repo, "envs"), null, "render", "../charts/web", "-f", "prod.yaml", "--no-hooks");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Format(Cm, "user-prod"), result.Stdout);
    }

    [Fact]
    public async Task Include_crds_prints_the_crd_file_first()
    {
        var result = await Cli.RunInAsync(_repo, null, "render", "charts/web", "--include-crds", "--no-hooks");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("---\n# Source: web/crds/widgets.yaml\napiVersion: apiextensions.k8s.io/v1\n", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith(string.Format(Cm, "default"), result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_dir_writes_one_file_per_template()
    {
        var result = await Cli.RunInAsync(_repo, null, "render", "charts/web", "--output-dir", "out");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Format(Cm, "default"), File.ReadAllText(Path.Combine(_repo, "out", "web", "templates", "cm.yaml")));
        Assert.Equal(Job, File.ReadAllText(Path.Combine(_repo, "out", "web", "templates", "job.yaml")));
        Assert.Contains($"wrote out{Path.DirectorySeparatorChar}web/templates/cm.yaml", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symlink_inside_the_work_tree_is_followed()
    {
        Directory.CreateDirectory(Path.Combine(_repo, "shared"));
        File.WriteAllText(Path.Combine(_repo, "shared", "sa.yaml"), "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: shared\n");
        File.CreateSymbolicLink(Path.Combine(_chart, "templates", "sa.yaml"), Path.Combine("..", "..", "..", "shared", "sa.yaml"));

        var result = await Cli.RunInAsync(_repo, null, "render", "charts/web", "--no-hooks");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("---\n# Source: web/templates/sa.yaml\napiVersion: v1\nkind: ServiceAccount\n", result.Stdout, StringComparison.Ordinal);
    }
}
