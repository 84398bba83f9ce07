using GitOps.Testing;

namespace GitOps.Ui.Tests;

/// <summary>A git repository with ConfigMap apps (or a two-stage pipeline of them), a namespace each, and a real
/// controller process following them (tokens: admin, read-only, an admin scoped to one app, a pipeline approver).</summary>
internal sealed class UiScenario : IAsyncDisposable
{
    public const string AdminToken = "ui-admin-token-0123456789";
    public const string ReadOnlyToken = "ui-viewer-token-0123456789";

    /// <summary>An admin token limited to the first app.</summary>
    public const string ScopedToken = "ui-scoped-token-0123456789";

    /// <summary>An approver of the pipeline <see cref="Pipeline"/> (and of no other).</summary>
    public const string ApproverToken = "ui-approver-token-0123456789";

    public const string Pipeline = "release";

    private readonly List<TestNamespace> namespaces;

    private UiScenario(TempGitRepository repo, List<TestNamespace> namespaces, ControllerProcess controller, IReadOnlyList<string> apps)
    {
        Repo = repo;
        this.namespaces = namespaces;
        Controller = controller;
        Apps = apps;
    }

    public TempGitRepository Repo { get; }

    public ControllerProcess Controller { get; }

    public IReadOnlyList<string> Apps { get; }

    /// <summary>The apps' destination namespaces, in the order of <see cref="Apps"/>.</summary>
    public IReadOnlyList<string> Namespaces => namespaces.Select(n => n.Name).ToList();

    /// <summary>Apps named PREFIX-1..N, each the directory PREFIX-i/ of one repository, synced automatically.</summary>
    public static async Task<UiScenario> StartAsync(LocalClusterFixture cluster, string prefix, int count = 2,
        IReadOnlyList<string>? extraArgs = null, Action<TempGitRepository>? seed = null)
    {
        var repo = TempGitRepository.Create();
        var apps = Enumerable.Range(1, count).Select(i => $"{prefix}-{i}").ToList();
        foreach (var app in apps)
        {
            repo.WriteFile($"{app}/settings.yaml", TestManifests.ConfigMap("settings", "v1"));
        }

        seed?.Invoke(repo);
        repo.Commit("settings v1");
        repo.Push("main");
        var namespaces = new List<TestNamespace>();
        var yaml = new List<string>();
        foreach (var app in apps)
        {
            // Not "{prefix}-<hex>": a namespace "ui-admin-2f…" would match a search for the app "ui-admin-2".
            var ns = await cluster.CreateNamespaceAsync($"{prefix}-ns");
            namespaces.Add(ns);
            yaml.Add(TestManifests.Application(app, repo.FileUrl, app, ns.Name));
        }

        var controller = await ControllerProcess.StartAsync(cluster.KubeconfigPath, string.Join("---\n", yaml), Tokens(apps[0]), extraArgs);
        return new UiScenario(repo, namespaces, controller, apps);
    }

    /// <summary>
    /// A two-stage pipeline <see cref="Pipeline"/>: PREFIX-canary follows tags v*, PREFIX-prod the branch env/prod and
    /// needs one approval. Tag v1.0.0 (commit subject <paramref name="subject"/>) is pushed, so once the canary runs
    /// it, v1.0.0 waits for approval to enter prod. Apps: [canary, prod].
    /// </summary>
    public static async Task<UiScenario> StartPipelineAsync(LocalClusterFixture cluster, string prefix, string subject)
    {
        var repo = TempGitRepository.Create();
        repo.CommitFiles(subject, ("canary/settings.yaml", TestManifests.ConfigMap("settings", "v1.0.0")),
            ("prod/settings.yaml", TestManifests.ConfigMap("settings", "v1.0.0")));
        repo.Git("tag", "v1.0.0");
        repo.Push("main", "--tags");
        var (canary, prod) = (await cluster.CreateNamespaceAsync($"{prefix}-canary"), await cluster.CreateNamespaceAsync($"{prefix}-prod"));
        var apps = new List<string> { $"{prefix}-canary", $"{prefix}-prod" };
        var pipelines = Path.Combine(repo.Root, "pipelines.yaml");
        await File.WriteAllTextAsync(pipelines, $"""
            apiVersion: gitops.dev/v1alpha1
            kind: Pipeline
            metadata:
              name: {Pipeline}
            spec:
              stages:
                - name: canary
                  application: {apps[0]}
                - name: prod
                  application: {apps[1]}
                  gates:
                    approval:
                      required: true
            """);
        var yaml = TestManifests.Application(apps[0], repo.FileUrl, "canary", canary.Name, selfHeal: false, revision: "'v*'") + "---\n"
                   + TestManifests.Application(apps[1], repo.FileUrl, "prod", prod.Name, selfHeal: false, revision: "env/prod");
        var controller = await ControllerProcess.StartAsync(cluster.KubeconfigPath, yaml, Tokens(apps[0]),
            ["--pipelines", pipelines, "--pipeline-interval", "00:00:01"]);
        return new UiScenario(repo, [canary, prod], controller, apps);
    }

    /// <summary>An admin, a read-only token, an admin scoped to one app, and an approver of <see cref="Pipeline"/> only.</summary>
    private static string Tokens(string scopedApp) => $"""
            tokens:
              - name: ui-admin
                token: {AdminToken}
                role: admin
              - name: ui-viewer
                token: {ReadOnlyToken}
                role: read-only
              - name: ui-scoped
                token: {ScopedToken}
                role: admin
                apps: [{scopedApp}]
              - name: ui-approver
                token: {ApproverToken}
                role: approver
                pipelines: [{Pipeline}]
            """;

    public string Commit(string app, string value)
    {
        var sha = Repo.CommitFiles($"{app} settings {value}", ($"{app}/settings.yaml", TestManifests.ConfigMap("settings", value)));
        Repo.Push("main");
        return sha;
    }

    public async ValueTask DisposeAsync()
    {
        await Controller.DisposeAsync();
        foreach (var ns in namespaces)
        {
            await ns.DisposeAsync();
        }

        Repo.Dispose();
    }
}
