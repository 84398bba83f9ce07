using System.Text;
using System.Text.Json.Nodes;
using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary>`gitops preview` on a real repository: a feature branch's change to the rendered apps, as a CI job runs it
/// (detached HEAD, the base as a remote-tracking ref).</summary>
public sealed class PreviewCommandTests : IDisposable
{
    private const string Password = "hunter2-very-secret";
    private readonly TempGitRepository repo = TempGitRepository.Create();
    private readonly string appsFile;

    public PreviewCommandTests()
    {
        repo.CommitFiles("apps",
            ("apps/web/deployment.yaml", Deployment(replicas: 1)),
            ("apps/web/secret.yaml", Secret("old-password-value")),
            ("apps/static/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: static\ndata:\n  a: \"1\"\n"),
            ("apps/kust/base/kustomization.yaml", "resources:\n- cm.yaml\n"),
            ("apps/kust/base/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: info\n"),
            ("apps/kust/overlay/kustomization.yaml", "resources:\n- ../base\nnamePrefix: prod-\n"));
        repo.Push("main");
        appsFile = Path.Combine(repo.Root, "apps.yaml");
        File.WriteAllText(appsFile, string.Join("---\n",
            App("web", repo.FileUrl, "apps/web"), App("static", repo.FileUrl, "apps/static"),
            App("kust", repo.FileUrl, "apps/kust/overlay"), App("elsewhere", "https://example.com/other/repo", "apps/web")));
    }

    [Fact]
    public async Task Markdown_shows_each_changed_object_with_a_masked_secret_and_exits_1()
    {
        repo.Git("checkout", "--quiet", "-b", "feature");
        repo.CommitFiles("scale web, rotate password, raise log level",
            ("apps/web/deployment.yaml", Deployment(replicas: 3)),
            ("apps/web/secret.yaml", Secret(Password)),
            ("apps/kust/base/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: debug\n"),
            ("apps/web/service.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n"));
        repo.Git("checkout", "--quiet", "--detach");

        var result = await Preview("--base", "origin/main", "--head", "HEAD", "-o", "markdown", "--exit-code");

        Assert.True(result.ExitCode == 1, result.ToString());
        var md = result.Stdout;
        Assert.Contains("<details><summary><b>web</b>", md, StringComparison.Ordinal);
        Assert.Contains("1 added, 0 removed, 2 changed", md, StringComparison.Ordinal);
        Assert.Contains("`+ Service/web`", md, StringComparison.Ordinal);
        Assert.Contains("-  replicas: 1\n+  replicas: 3", md, StringComparison.Ordinal);
        Assert.Contains("*** masked value", md, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, md, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Password)), md, StringComparison.Ordinal);
        Assert.DoesNotContain("old-password-value", md, StringComparison.Ordinal);
        // The overlay changed only through its ../base.
        Assert.Contains("<b>kust</b>", md, StringComparison.Ordinal);
        Assert.Contains("+  level: debug", md, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>static</b>", md, StringComparison.Ordinal);
        Assert.DoesNotContain("elsewhere", md, StringComparison.Ordinal);
        Assert.Contains("**2 apps changed (1 added, 0 removed, 3 changed objects)", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_change_to_any_app_exits_0()
    {
        repo.CommitFiles("docs only", ("README.md", "hello\n"));

        var result = await Preview("--base", "main~1", "--head", "main", "-o", "json", "--exit-code");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = JsonNode.Parse(result.Stdout)!;
        Assert.False((bool)json["changed"]!);
        Assert.Equal(3, (int)json["appsOfRepository"]!);
        // Only the kustomization can read README.md's directory; it rendered the same.
        Assert.Equal(["kust"], json["apps"]!.AsArray().Select(a => (string)a!["name"]!));
        Assert.Equal("Unchanged", (string)json["apps"]![0]!["outcome"]!);
    }

    [Fact]
    public async Task A_head_that_fails_to_render_exits_2_and_names_the_file()
    {
        repo.CommitFiles("broken", ("apps/web/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: [oops\n"));

        var result = await Preview("--base", "main~1", "--head", "main", "-o", "markdown", "--exit-code");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("❌ <b>web</b>", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("apps/web/deployment.yaml", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markdown_past_the_size_limit_is_truncated_with_a_note()
    {
        repo.Git("checkout", "--quiet", "-b", "big");
        repo.CommitFiles("many", Enumerable.Range(0, 40).Select(i =>
            ($"apps/web/cm-{i}.yaml", $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\ndata:\n  v: \"{new string('x', 200)}\"\n")).ToArray());

        var result = await Preview("--base", "main", "--head", "big", "-o", "markdown", "--max-size", "4000");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.Stdout.Length <= 4000, $"{result.Stdout.Length} characters");
        Assert.Contains("Output truncated at 4000 characters: diffs of `web`", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("`+ ConfigMap/cm-39`", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_repository_given_by_url_is_mirrored_and_its_branches_compared()
    {
        repo.Git("checkout", "--quiet", "-b", "remote-feature");
        repo.CommitFiles("three replicas", ("apps/web/deployment.yaml", Deployment(replicas: 3)));
        repo.Push("remote-feature");

        var result = await Cli.RunAsync(["preview", "--repo", repo.FileUrl, "--apps", appsFile, "--base", "main",
            "--head", "remote-feature", "-o", "json", "--exit-code"]);

        Assert.True(result.ExitCode == 1, result.ToString());
        var web = JsonNode.Parse(result.Stdout)!["apps"]!.AsArray().Single(a => (string?)a!["name"] == "web")!;
        Assert.Equal("Changed", (string?)web["outcome"]);
    }

    [Fact]
    public async Task A_symlink_leaving_the_repository_and_an_unknown_revision_are_errors()
    {
        repo.Git("checkout", "--quiet", "-b", "escape");
        File.CreateSymbolicLink(Path.Combine(repo.WorkPath, "apps", "web", "passwd.yaml"), "../../../../../etc/passwd");
        repo.Git("add", "-A");
        repo.Git("commit", "--quiet", "-m", "link out");

        var escape = await Preview("--base", "main", "--head", "escape");
        Assert.True(escape.ExitCode == 2, escape.ToString());
        Assert.Contains("symlink 'apps/web/passwd.yaml' points outside the repository", escape.Stderr, StringComparison.Ordinal);

        var unknown = await Preview("--base", "no-such-branch", "--head", "main");
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("revision 'no-such-branch' not found", unknown.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => repo.Dispose();

    private Task<CliResult> Preview(params string[] args) =>
        Cli.RunAsync(["preview", "--repo", repo.WorkPath, "--apps", appsFile, .. args]);

    private static string App(string name, string url, string path) =>
        $"apiVersion: gitops.dev/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\nspec:\n  source:\n    repoURL: {url}\n" +
        $"    path: {path}\n  destination:\n    namespace: preview\n";

    private static string Deployment(int replicas) =>
        $"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n" +
        "      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n";

    private static string Secret(string password) =>
        $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-db\nstringData:\n  password: {password}\n";
}
