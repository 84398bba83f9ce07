using GitOps.Testing;

namespace GitOps.Ui.Tests;

/// <summary>A git repository with ConfigMap apps, a namespace each, and a real controller process (tokens: one
/// admin, one read-only) following them.</summary>
internal sealed class UiScenario : IAsyncDisposable
{
    public const string AdminToken = "ui-admin-token-0123456789";
    public const string ReadOnlyToken = "ui-viewer-token-0123456789";

    /// <summary>An admin token limited to the first app.</summary>
    public const string ScopedToken = "ui-scoped-token-0123456789";

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

    /// <summary>Apps named PREFIX-1..N, each the directory PREFIX-i/ of one repository, synced automatically.</summary>
    public static async Task<UiScenario> StartAsync(LocalClusterFixture cluster, string prefix, int count = 2,
        IReadOnlyList<string>? extraArgs = null, Action<TempGitRepository>? seed = null)
    {
        var repo = TempGitRepository.Create();
        var apps = Enumerable.Range(1, count).Select(i => $"{prefix}-{i}").ToList();
        foreach (var app in apps)
        {
            repo.WriteFile($"{app}/settings.yaml", ConfigMap("v1"));
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
            yaml.Add($"""
                apiVersion: gitops.dev/v1alpha1
                kind: Application
                metadata:
                  name: {app}
                spec:
                  source:
                    repoURL: {repo.FileUrl}
                    targetRevision: main
                    path: {app}
                  destination:
                    namespace: {ns.Name}
                  syncPolicy:
                    automated:
                      prune: true
                      selfHeal: true
                """);
        }

        var tokens = $"""
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
                apps: [{apps[0]}]
            """;
        var controller = await ControllerProcess.StartAsync(cluster.KubeconfigPath, string.Join("\n---\n", yaml), tokens, extraArgs);
        return new UiScenario(repo, namespaces, controller, apps);
    }

    public string Commit(string app, string value)
    {
        var sha = Repo.CommitFiles($"{app} settings {value}", ($"{app}/settings.yaml", ConfigMap(value)));
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

    public static string ConfigMap(string value) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          value: "{value}"
        """;
}
