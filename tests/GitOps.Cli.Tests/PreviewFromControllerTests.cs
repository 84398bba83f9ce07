using System.Text;
using System.Text.Json.Nodes;
using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary>`gitops preview --server`: the apps (with their whole spec) from a real controller, under the token's
/// scope; and `--live`: head compared by the controller against what the real control plane runs.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class PreviewFromControllerTests(LocalClusterFixture cluster)
{
    private const string OldPassword = "old-pw-0f3c1d";
    private const string NewPassword = "new-pw-9a7e2b";

    private const string Tokens = """
        tokens:
          - name: admin
            token: admin-1
            role: admin
          - name: web-viewer
            token: web-only
            role: read-only
            apps: [pv-web]
        """;

    [Fact]
    public async Task Apps_come_from_the_controller_with_their_whole_spec_and_the_token_scope()
    {
        await using var s = await StartAsync("pvspec");
        s.Repo.Git("checkout", "--quiet", "-b", "feature");
        s.Repo.CommitFiles("chart: a second key", ("apps/chart/templates/cm.yaml", ChartTemplate(extraKey: true)));
        s.Repo.Push("feature");

        var admin = await PreviewAsync(s, "admin-1", "--base", "main", "--head", "feature", "-o", "json", "--exit-code");

        Assert.True(admin.ExitCode == 1, admin.ToString());
        var json = JsonNode.Parse(admin.Stdout)!;
        Assert.Equal(2, (int)json["appsOfRepository"]!);
        var chart = json["apps"]!.AsArray().Single(a => (string?)a!["name"] == "pv-chart")!;
        var diff = (string)chart["objects"]![0]!["diff"]!;
        // The Helm values are in the app's spec only (not in the chart, nor in the API's Source message).
        Assert.Contains("+  mode: blue", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("red", diff, StringComparison.Ordinal);

        var scoped = await PreviewAsync(s, "web-only", "--base", "main", "--head", "feature", "-o", "json");

        Assert.True(scoped.ExitCode == 0, scoped.ToString());
        var seen = JsonNode.Parse(scoped.Stdout)!;
        Assert.Equal(1, (int)seen["appsOfRepository"]!);
        Assert.DoesNotContain("pv-chart", scoped.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_compares_head_with_the_cluster_not_with_base()
    {
        await using var s = await StartAsync("pvlive");
        Assert.Equal(0, (await s.GitopsAsync("--token", "admin-1", "app", "wait", "pv-web", "--sync", "--timeout", "90s")).ExitCode);
        // The cluster keeps v1 while main moves to v2: base and live now differ.
        Assert.Equal(0, (await s.GitopsAsync("--token", "admin-1", "app", "pause", "pv-web")).ExitCode);
        s.Repo.CommitFiles("web v2", ("apps/web/cm.yaml", WebConfigMap("v2")));
        s.Repo.Push("main");
        s.Repo.Git("checkout", "--quiet", "-b", "feature");
        s.Repo.Git("rm", "--quiet", "apps/web/old.yaml");
        s.Repo.CommitFiles("rotate the password, add one object, drop another",
            ("apps/web/secret.yaml", Secret(NewPassword)),
            ("apps/web/new.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new\ndata:\n  a: \"1\"\n"));
        s.Repo.Push("feature");

        var live = await PreviewAsync(s, "web-only", "--base", "main", "--head", "feature", "--live", "-o", "json", "--exit-code");

        Assert.True(live.ExitCode == 1, live.ToString());
        var web = JsonNode.Parse(live.Stdout)!["apps"]!.AsArray().Single(a => (string?)a!["name"] == "pv-web")!;
        Assert.Equal("Changed", (string?)web["outcome"]);
        var changes = web["objects"]!.AsArray().ToDictionary(o => $"{o!["kind"]}/{o["name"]}", o => ((string)o!["change"]!, (string)o["diff"]!));
        Assert.Equal("Added", changes["ConfigMap/new"].Item1);
        Assert.Equal("Removed", changes["ConfigMap/old"].Item1);
        Assert.Equal("Changed", changes["Secret/web-db"].Item1);
        Assert.Contains("*** masked value", changes["Secret/web-db"].Item2, StringComparison.Ordinal);
        // Live has v1, head has v2 (base too: without --live this object is not shown).
        Assert.Equal("Changed", changes["ConfigMap/web"].Item1);
        Assert.Contains("-  value: v1", changes["ConfigMap/web"].Item2, StringComparison.Ordinal);
        Assert.Contains("+  value: v2", changes["ConfigMap/web"].Item2, StringComparison.Ordinal);
        Assert.True((bool)JsonNode.Parse(live.Stdout)!["live"]!);
        AssertNoSecret(live.Stdout);

        var markdown = await PreviewAsync(s, "web-only", "--base", "main", "--head", "feature", "--live", "-o", "markdown");
        Assert.True(markdown.ExitCode == 0, markdown.ToString());
        Assert.Contains("### gitops preview: live cluster → `", markdown.Stdout, StringComparison.Ordinal);
        Assert.Contains("`- ConfigMap/", markdown.Stdout, StringComparison.Ordinal);
        AssertNoSecret(markdown.Stdout);

        var againstBase = await PreviewAsync(s, "web-only", "--base", "main", "--head", "feature", "-o", "json");
        Assert.DoesNotContain("\"name\": \"web\"", againstBase.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"name\": \"new\"", againstBase.Stdout, StringComparison.Ordinal);

        // A head with an object outside the app's project (another namespace, under the default project): a sync of it
        // would fail, so the preview is an error naming the object.
        s.Repo.Git("checkout", "--quiet", "-b", "outside", "main");
        s.Repo.CommitFiles("an object in another namespace",
            ("apps/web/elsewhere.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: elsewhere\n  namespace: kube-system\n"));
        s.Repo.Push("outside");
        var outside = await PreviewAsync(s, "web-only", "--base", "main", "--head", "outside", "--live", "-o", "text");
        Assert.True(outside.ExitCode == 2, outside.ToString());
        Assert.Contains("live: ConfigMap/kube-system/elsewhere", outside.Stdout, StringComparison.Ordinal);

        // A head the controller cannot fetch (never pushed) is an error that says so, not an empty preview.
        s.Repo.CommitFiles("local only", ("apps/web/new.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new\ndata:\n  a: \"2\"\n"));
        var unpushed = await PreviewAsync(s, "web-only", "--base", "main", "--head", "HEAD", "--live", "-o", "text");
        Assert.True(unpushed.ExitCode == 2, unpushed.ToString());
        Assert.Contains("not found", unpushed.Stdout, StringComparison.Ordinal);
    }

    private static void AssertNoSecret(string output)
    {
        foreach (var password in new[] { OldPassword, NewPassword })
        {
            Assert.DoesNotContain(password, output, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(password)), output, StringComparison.Ordinal);
        }
    }

    private static Task<CliResult> PreviewAsync(Setup s, string token, params string[] args) =>
        s.GitopsAsync(["--token", token, "preview", "--repo", s.Repo.WorkPath, .. args]);

    private async Task<Setup> StartAsync(string prefix)
    {
        var ns = await cluster.CreateNamespaceAsync(prefix);
        var repo = TempGitRepository.Create();
        repo.CommitFiles("apps",
            ("apps/web/cm.yaml", WebConfigMap("v1")),
            ("apps/web/secret.yaml", Secret(OldPassword)),
            ("apps/web/old.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\ndata:\n  a: \"1\"\n"),
            ("apps/chart/Chart.yaml", "apiVersion: v2\nname: settings\nversion: 0.1.0\n"),
            ("apps/chart/values.yaml", "color: red\n"),
            ("apps/chart/templates/cm.yaml", ChartTemplate(extraKey: false)));
        repo.Push("main");
        var apps = $"""
            apiVersion: gitops.dev/v1alpha1
            kind: Application
            metadata:
              name: pv-web
            spec:
              source:
                repoURL: {repo.FileUrl}
                targetRevision: main
                path: apps/web
              destination:
                namespace: {ns.Name}
              syncPolicy:
                automated:
                  prune: true
            ---
            apiVersion: gitops.dev/v1alpha1
            kind: Application
            metadata:
              name: pv-chart
            spec:
              source:
                repoURL: {repo.FileUrl}
                targetRevision: main
                path: apps/chart
                helm:
                  values: "color: blue"
              destination:
                namespace: {ns.Name}
            """;
        var controller = await ControllerProcess.StartAsync(cluster.KubeconfigPath, apps, Tokens);
        return new Setup(repo, ns, controller);
    }

    private static string ChartTemplate(bool extraKey) =>
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: chart-settings\ndata:\n  color: {{ .Values.color }}\n" +
        (extraKey ? "  mode: {{ .Values.color }}\n" : "");

    private static string WebConfigMap(string value) =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  value: {value}\n";

    private static string Secret(string password) =>
        $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-db\nstringData:\n  password: {password}\n";

    private sealed record Setup(TempGitRepository Repo, TestNamespace Namespace, ControllerProcess Controller) : IAsyncDisposable
    {
        public Task<CliResult> GitopsAsync(params string[] args) => Cli.RunAsync(["--server", Controller.Server, .. args]);

        public async ValueTask DisposeAsync()
        {
            await Controller.DisposeAsync();
            await Namespace.DisposeAsync();
            Repo.Dispose();
        }
    }
}
