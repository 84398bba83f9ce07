// Source-stage benchmark (issue 5): 200 apps in one repository behind a real smart-HTTP server; a push
// touches one app; we time webhook → fetch → changed paths → affected apps → their snapshots ready.
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GitOps.Source;
using GitOps.Source.Webhooks;
using GitOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;

// `dotnet run -c Release -- file` measures over file:// instead (the library's own cost, no HTTP server).
var overFile = args.Contains("file");
const int Apps = 200;
const int Rounds = 25;
const string Secret = "bench-secret";
var culture = CultureInfo.InvariantCulture;

using var server = GitHttpServer.Start();
using var repo = TempGitRepository.Create(bareDirectory: server.Directory, name: "monorepo.git");
var hookUrl = server.UrlFor("monorepo.git");
var url = overFile ? repo.FileUrl : hookUrl;
var appPaths = Enumerable.Range(0, Apps).Select(i => $"apps/app-{i:000}").ToArray();
foreach (var app in appPaths)
{
    repo.WriteFile($"{app}/kustomization.yaml", "resources:\n- deployment.yaml\n- service.yaml\n- ../../base\n");
    repo.WriteFile($"{app}/deployment.yaml", Deployment(Path.GetFileName(app), "1.0.0"));
    repo.WriteFile($"{app}/service.yaml", $"apiVersion: v1\nkind: Service\nmetadata:\n  name: {Path.GetFileName(app)}\nspec:\n  ports:\n  - port: 80\n");
}

repo.WriteFile("base/kustomization.yaml", "resources:\n- namespace.yaml\n");
repo.WriteFile("base/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bench\n");
repo.Commit("200 apps");
repo.Push("main");

var cache = Path.Combine(Path.GetTempPath(), "gitops-bench-" + Guid.NewGuid().ToString("N")[..8]);
using var source = new GitSource(new GitSourceOptions { CacheDirectory = cache }, NullLogger<GitSource>.Instance,
    new StaticCredentials(new GitCredentials(GitHttpServer.User, GitHttpServer.Password)));
var handler = new GitWebhookHandler(new WebhookOptions { GitHubSecret = Secret }, NullLogger<GitWebhookHandler>.Instance);
using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
var ct = cts.Token;

// Cold start: first fetch plus a snapshot per app.
var cold = Stopwatch.StartNew();
var head = await source.ResolveAsync(url, "main", refresh: true, ct);
var leases = await Task.WhenAll(appPaths.Select(a => source.GetSnapshotAsync(url, head.Sha, a, ct)));
cold.Stop();
foreach (var lease in leases)
{
    lease.Dispose();
}

var perApp = new List<double>();
var wholeRepo = new List<double>();
var stages = new List<(double Hook, double Fetch, double Diff, double Snapshot)>();
var random = new Random(42);
for (var round = 0; round < Rounds; round++)
{
    var whole = round % 2 == 1;
    var touched = appPaths[random.Next(Apps)];
    repo.WriteFile($"{touched}/deployment.yaml", Deployment(Path.GetFileName(touched), $"1.0.{round + 1}"));
    var pushed = repo.Commit($"bump {touched}");
    repo.Push("main");
    var body = Encoding.UTF8.GetBytes(GitHubPush(hookUrl, pushed, $"{touched}/deployment.yaml"));
    var headers = new Dictionary<string, string>
    {
        ["X-GitHub-Event"] = "push",
        ["X-Hub-Signature-256"] = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body)),
    };

    var clock = Stopwatch.StartNew();
    var hook = handler.Handle(new WebhookRequest(headers, body));
    if (!hook.IsRefresh)
    {
        throw new InvalidOperationException($"webhook refused: {hook.StatusCode} {hook.Message}");
    }

    var tHook = clock.Elapsed.TotalMilliseconds;
    var fetched = await source.FetchAsync(overFile ? url : hook.RepositoryUrls![0], ct);
    var tFetch = clock.Elapsed.TotalMilliseconds;
    var change = fetched.Branch(hook.Branch!) ?? throw new InvalidOperationException("branch did not move");
    var changed = await source.GetChangedPathsAsync(url, change.OldSha!, change.NewSha!, ct);
    var affected = appPaths.Where(a => ChangeDetection.IsAffected(a, changed)).ToArray();
    var tDiff = clock.Elapsed.TotalMilliseconds;
    var ready = await Task.WhenAll(affected.Select(a => source.GetSnapshotAsync(url, change.NewSha!, whole ? null : a, ct)));
    clock.Stop();

    if (affected.Length != 1 || affected[0] != touched || !File.Exists(Path.Combine(ready[0].Root, touched, "deployment.yaml")))
    {
        throw new InvalidOperationException($"expected only {touched} to change, got {string.Join(", ", affected)}");
    }

    foreach (var lease in ready)
    {
        lease.Dispose();
    }

    (whole ? wholeRepo : perApp).Add(clock.Elapsed.TotalMilliseconds);
    stages.Add((tHook, tFetch - tHook, tDiff - tFetch, clock.Elapsed.TotalMilliseconds - tDiff));
}

source.Dispose();
Directory.Delete(cache, recursive: true);

Console.WriteLine(string.Create(culture, $"apps: {Apps}, rounds: {Rounds}, transport: {(overFile ? "file://" : "smart HTTP (lighttpd + git http-backend, basic auth)")}"));
Console.WriteLine(string.Create(culture, $"cold: first fetch + {Apps} per-app snapshots: {cold.Elapsed.TotalMilliseconds:0} ms"));
Console.WriteLine(Summary("webhook → apps changed → app snapshot ready", perApp));
Console.WriteLine(Summary("webhook → apps changed → whole-repo snapshot ready", wholeRepo));
Console.WriteLine(string.Create(culture,
    $"median stages: webhook {Median(stages.Select(s => s.Hook)):0.0} ms, fetch {Median(stages.Select(s => s.Fetch)):0.0} ms, changed paths + match {Median(stages.Select(s => s.Diff)):0.0} ms, snapshots {Median(stages.Select(s => s.Snapshot)):0.0} ms"));

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

string Summary(string label, List<double> samples)
{
    var sorted = samples.Order().ToArray();
    return string.Create(culture,
        $"{label}: median {sorted[sorted.Length / 2]:0.0} ms, p90 {sorted[(int)(sorted.Length * 0.9)]:0.0} ms, min {sorted[0]:0.0} ms, max {sorted[^1]:0.0} ms (n={sorted.Length})");
}

static string Deployment(string name, string version) => $"""
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: {name}
      labels:
        app.kubernetes.io/name: {name}
    spec:
      replicas: 2
      selector:
        matchLabels:
          app.kubernetes.io/name: {name}
      template:
        metadata:
          labels:
            app.kubernetes.io/name: {name}
        spec:
          containers:
          - name: {name}
            image: registry.local/{name}:{version}
            ports:
            - containerPort: 8080
            resources:
              requests: {"{"}cpu: 10m, memory: 32Mi{"}"}

    """;

static string GitHubPush(string repositoryUrl, string sha, string modified) => $$"""
    {"ref":"refs/heads/main","after":"{{sha}}","repository":{"html_url":"{{repositoryUrl}}","clone_url":"{{repositoryUrl}}"},
     "commits":[{"id":"{{sha}}","added":[],"removed":[],"modified":["{{modified}}"]}]}
    """;

internal sealed class StaticCredentials(GitCredentials credentials) : ICredentialsSource
{
    public ValueTask<GitCredentials?> GetAsync(RepositoryUrl repository, CancellationToken cancellationToken) =>
        ValueTask.FromResult<GitCredentials?>(credentials);
}
