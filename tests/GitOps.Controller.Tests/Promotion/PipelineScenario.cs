using k8s;
using GitOps.Api.V1;
using GitOps.Testing;
using Grpc.Core;

namespace GitOps.Controller.Tests.Promotion;

/// <summary>The notes' sample app as a pipeline over a repository served by git over smart HTTP: a canary app
/// following the semver tags `v*` and a prod app following `env/prod`, each one ConfigMap (Healthy without a
/// kubelet), and a controller with tokens: admin, a read-only viewer, and two approvers of the pipeline.</summary>
internal sealed class PipelineScenario : IAsyncDisposable
{
    public const string AdminToken = "admin-token-000";
    public const string ViewerToken = "viewer-token-111";
    public const string AliceToken = "alice-token-222";
    public const string BobToken = "bob-token-333";

    private const string Tokens = $"""
        tokens:
          - {"{"}name: admin, token: {AdminToken}, role: admin{"}"}
          - {"{"}name: viewer, token: {ViewerToken}, role: read-only{"}"}
          - {"{"}name: alice, token: {AliceToken}, role: approver, pipelines: [sample]{"}"}
          - {"{"}name: bob, token: {BobToken}, role: approver, pipelines: [sample]{"}"}
        """;

    private readonly LocalClusterFixture cluster;
    private SimulatedNodes? nodes;
    private readonly string directory = Path.Combine(Path.GetTempPath(), "gitops-pipe-" + Guid.NewGuid().ToString("N")[..12]);

    private PipelineScenario(LocalClusterFixture cluster, GitHttpServer server, TempGitRepository repo, TestNamespace canary,
        TestNamespace prod)
    {
        this.cluster = cluster;
        Server = server;
        Repo = repo;
        Canary = canary;
        Prod = prod;
        Directory.CreateDirectory(directory);
    }

    public GitHttpServer Server { get; }

    public TempGitRepository Repo { get; }

    public TestNamespace Canary { get; }

    public TestNamespace Prod { get; }

    public ControllerHarness? Controller { get; private set; }

    /// <summary>The --pipelines file the controller follows.</summary>
    public string PipelinesFile => Path.Combine(directory, "pipelines.yaml");

    public string RepoUrl => Server.UrlFor(Path.GetFileName(Repo.BarePath));

    /// <summary>The repository and the two namespaces; with <paramref name="simulatedNodes"/>, the node simulator
    /// for them (real rollouts and Jobs).</summary>
    public static async Task<PipelineScenario> CreateAsync(LocalClusterFixture cluster, string prefix, bool simulatedNodes = false)
    {
        var server = GitHttpServer.Start();
        var repo = TempGitRepository.Create(bareDirectory: server.Directory, name: $"sample-{Guid.NewGuid():N}.git");
        var scenario = new PipelineScenario(cluster, server, repo, await cluster.CreateNamespaceAsync(prefix + "-canary"),
            await cluster.CreateNamespaceAsync(prefix + "-prod"));
        if (simulatedNodes)
        {
            scenario.nodes = await SimulatedNodes.StartAsync(cluster, scenario.Canary.Name, scenario.Prod.Name);
        }

        return scenario;
    }

    /// <summary>Commits the sample app at <paramref name="version"/> (both overlays), tags and pushes it.</summary>
    public string Release(string version) =>
        Release(version, TestManifests.ConfigMap("frontend-canary", version), TestManifests.ConfigMap("frontend-production", version));

    /// <summary>Commits the given canary and prod manifests as <paramref name="version"/>, tags and pushes it.</summary>
    public string Release(string version, string canary, string prod)
    {
        var sha = Repo.CommitFiles($"Release {version}", ("k8s/canary/frontend.yaml", canary), ("k8s/prod/frontend.yaml", prod));
        Repo.Git("tag", version);
        Repo.Push("main", version);
        return sha;
    }

    /// <summary>Commits one Deployment per overlay with these images as <paramref name="version"/> (with the node
    /// simulator: an image containing <c>unpullable</c> or under <c>.invalid</c> never pulls), tags and pushes it.</summary>
    public string ReleaseImages(string version, string canaryImage, string prodImage) =>
        Release(version, SimulatedNodes.Deployment("frontend-canary", canaryImage), SimulatedNodes.Deployment("frontend-production", prodImage));

    /// <summary>Starts (or restarts, keeping the state directory) the controller with the two apps and
    /// <paramref name="pipelineYaml"/>.</summary>
    public async Task<ControllerHarness> StartAsync(string pipelineYaml)
    {
        if (Controller is not null)
        {
            await Controller.DisposeAsync();
        }

        var pipelines = PipelinesFile;
        await File.WriteAllTextAsync(pipelines, pipelineYaml);
        var credentials = Path.Combine(directory, "git-credentials");
        await File.WriteAllTextAsync(credentials,
            Server.BaseUrl.Replace("http://", $"http://{GitHttpServer.User}:{GitHttpServer.Password}@", StringComparison.Ordinal) + "\n");
        var apps = TestManifests.Application("sample-canary", RepoUrl, "k8s/canary", Canary.Name, revision: "'v*'")
                   + "---\n" + TestManifests.Application("sample-prod", RepoUrl, "k8s/prod", Prod.Name, revision: "env/prod");
        Controller = await ControllerHarness.StartAsync(cluster, apps, Tokens, extraArgs:
        [
            "--pipelines", pipelines, "--pipeline-interval", "00:00:01", "--git-credentials", credentials,
            "--state-dir", Path.Combine(directory, "state"),
        ]);
        return Controller;
    }

    public static string PipelineYaml(string gates, bool autoPromote = true, string stageExtra = "") => $"""
        apiVersion: gitops.dev/v1alpha1
        kind: Pipeline
        metadata:
          name: sample
        spec:
          stages:
            - name: canary
              application: sample-canary
            - name: prod
              application: sample-prod
              autoPromote: {(autoPromote ? "true" : "false")}
        {stageExtra}
              gates:
        {gates}
        """;

    public Task<Pipeline> WaitForAsync(Func<Pipeline, bool> condition, string because, int seconds = 60) =>
        Eventually.HoldsAsync(() => Controller!.Pipelines.GetAsync(new PipelineRef { Name = "sample" }, As(AdminToken)).ResponseAsync,
            condition, TimeSpan.FromSeconds(seconds), because);

    public static Stage Stage(Pipeline pipeline, string name) => pipeline.Stages.Single(s => s.Name == name);

    public static Metadata As(string token) => new() { { "authorization", "Bearer " + token } };

    public async Task<string> ProdValueAsync() =>
        (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("frontend-production", Prod.Name)).Data["value"];

    public async ValueTask DisposeAsync()
    {
        if (Controller is not null)
        {
            await Controller.DisposeAsync();
        }

        await Canary.DisposeAsync();
        await Prod.DisposeAsync();
        if (nodes is not null)
        {
            await nodes.DisposeAsync();
        }

        Repo.Dispose();
        Server.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
