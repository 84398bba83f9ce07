using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace GitOps.Bench.Controller;

/// <summary>One bare git repo with one directory per app (mostly ConfigMaps, one Service, one Deployment with
/// replicas 0) and the applications file that points at it, apps spread over 10 namespaces.</summary>
internal sealed class Fixture(string root, string prefix, int apps, int resources)
{
    public string Root { get; } = root;

    public string BareRepo => Path.Combine(Root, "repo.git");

    public string AppsFile => Path.Combine(Root, "applications.yaml");

    public IReadOnlyList<string> Namespaces { get; } = Enumerable.Range(0, 10).Select(i => $"{prefix}-{i}").ToList();

    public IReadOnlyList<string> AppNames { get; } = Enumerable.Range(0, apps).Select(i => $"{prefix}-app-{i:D4}").ToList();

    public void Write()
    {
        var work = Path.Combine(Root, "work");
        Directory.CreateDirectory(work);
        var apps = new StringBuilder();
        for (var i = 0; i < AppNames.Count; i++)
        {
            var name = AppNames[i];
            var dir = Path.Combine(work, "apps", name);
            Directory.CreateDirectory(dir);
            var configMaps = new StringBuilder();
            for (var c = 0; c < Math.Max(1, resources - 2); c++)
            {
                configMaps.Append(CultureInfo.InvariantCulture, $"""
                    ---
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: {name}-cm-{c:D2}
                    data:
                      index: "{c}"
                      app: {name}

                    """);
            }

            File.WriteAllText(Path.Combine(dir, "configmaps.yaml"), configMaps.ToString());
            if (resources >= 3)
            {
                File.WriteAllText(Path.Combine(dir, "service.yaml"), $"""
                    apiVersion: v1
                    kind: Service
                    metadata:
                      name: {name}
                    spec:
                      selector:
                        app: {name}
                      ports:
                        - port: 80
                          targetPort: 8080
                          protocol: TCP

                    """);
                File.WriteAllText(Path.Combine(dir, "deployment.yaml"), $"""
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: {name}
                    spec:
                      replicas: 0
                      selector:
                        matchLabels:
                          app: {name}
                      template:
                        metadata:
                          labels:
                            app: {name}
                        spec:
                          containers:
                            - name: web
                              image: nginx:1.25
                              ports:
                                - containerPort: 80
                                  protocol: TCP

                    """);
            }

            apps.Append(CultureInfo.InvariantCulture, $"""
                ---
                apiVersion: gitops.dev/v1alpha1
                kind: Application
                metadata:
                  name: {name}
                spec:
                  source:
                    repoURL: {RepoUrl}
                    targetRevision: main
                    path: apps/{name}
                  destination:
                    namespace: {Namespaces[i % Namespaces.Count]}
                  syncPolicy:
                    automated:
                      prune: true
                      selfHeal: true

                """);
        }

        File.WriteAllText(AppsFile, apps.ToString());
        Git(Root, "init", "--quiet", "--bare", "--initial-branch=main", BareRepo);
        Git(work, "init", "--quiet", "--initial-branch=main");
        Git(work, "add", "-A");
        Git(work, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "--quiet", "-m", "bench fixture");
        Git(work, "push", "--quiet", BareRepo, "main");
    }

    /// <summary>Where the controller fetches from: the bare repository over file://, or <see cref="ServedAt"/> (smart
    /// HTTP) when set.</summary>
    public string RepoUrl => ServedAt is { } url ? url + "/" + Path.GetFileName(BareRepo) : $"file://{BareRepo}";

    /// <summary>The base URL of a smart-HTTP server that serves <see cref="Root"/>'s bare repositories.</summary>
    public string? ServedAt { get; set; }

    /// <summary>One commit that changes the ConfigMap of each of <paramref name="apps"/>, pushed; returns the
    /// commit and the paths it touched (what a forge's push payload lists).</summary>
    public (string Sha, IReadOnlyList<string> Paths) CommitChange(IReadOnlyList<int> apps, int round)
    {
        var work = Path.Combine(Root, "work");
        var paths = new List<string>();
        foreach (var i in apps)
        {
            var relative = $"apps/{AppNames[i]}/configmaps.yaml";
            File.AppendAllText(Path.Combine(work, relative), $"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {AppNames[i]}-round-{round}\ndata:\n  round: \"{round}\"\n");
            paths.Add(relative);
        }

        Git(work, "add", "-A");
        Git(work, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "--quiet", "-m", $"round {round}");
        Git(work, "push", "--quiet", BareRepo, "main");
        return (Git(work, "rev-parse", "HEAD"), paths);
    }

    private static string Git(string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo("git", args)
        {
            WorkingDirectory = cwd, RedirectStandardError = true, RedirectStandardOutput = true,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start git");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)}: {error}");
        }

        return output.Result.Trim();
    }
}
