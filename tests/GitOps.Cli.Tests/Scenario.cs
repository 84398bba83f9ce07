using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary>A git repo with one ConfigMap app and a controller process following it.</summary>
internal sealed class Scenario : IAsyncDisposable
{
    private Scenario(TempGitRepository repo, TestNamespace ns, ControllerProcess controller)
    {
        Repo = repo;
        Namespace = ns;
        Controller = controller;
    }

    public TempGitRepository Repo { get; }

    public TestNamespace Namespace { get; }

    public ControllerProcess Controller { get; }

    public static async Task<Scenario> StartAsync(LocalClusterFixture cluster, string app, string? tokensYaml = null)
    {
        var ns = await cluster.CreateNamespaceAsync(app);
        var repo = TempGitRepository.Create();
        repo.CommitFiles("settings v1", ("app/settings.yaml", TestManifests.ConfigMap("settings", "v1")));
        repo.Push("main");
        var apps = TestManifests.Application(app, repo.FileUrl, "app", ns.Name);
        var controller = await ControllerProcess.StartAsync(cluster.KubeconfigPath, apps, tokensYaml);
        return new Scenario(repo, ns, controller);
    }

    public string Commit(string value)
    {
        var sha = Repo.CommitFiles("settings " + value, ("app/settings.yaml", TestManifests.ConfigMap("settings", value)));
        Repo.Push("main");
        return sha;
    }

    public Task<CliResult> GitopsAsync(params string[] args) => Cli.RunAsync(["--server", Controller.Server, .. args]);

    public async ValueTask DisposeAsync()
    {
        await Controller.DisposeAsync();
        await Namespace.DisposeAsync();
        Repo.Dispose();
    }
}
