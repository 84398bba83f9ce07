using System.Diagnostics;
using k8s;
using k8s.Models;
using Xunit;

namespace GitOps.Testing;

/// <summary>
/// The real local control plane (hack/local-cluster.sh), brought up once per test run or attached to when it
/// is already up. Set GITOPS_TEST_KUBECONFIG to use another cluster. A test project declares
/// <c>[CollectionDefinition(LocalClusterFixture.Collection)] class C : ICollectionFixture&lt;LocalClusterFixture&gt;</c>.
/// </summary>
public sealed class LocalClusterFixture : IAsyncLifetime
{
    public const string Collection = "local-cluster";

    private Kubernetes? client;

    public string KubeconfigPath { get; private set; } = "";

    public Kubernetes Client => client ?? throw new InvalidOperationException("fixture not initialised");

    public async Task InitializeAsync()
    {
        KubeconfigPath = Environment.GetEnvironmentVariable("GITOPS_TEST_KUBECONFIG") is { Length: > 0 } path
            ? path
            : await BringUpAsync();
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath);
        client = new Kubernetes(config);
        // Fail here, clearly, if the API server does not answer.
        await client.Version.GetCodeAsync();
    }

    public Task DisposeAsync()
    {
        client?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Creates a namespace unique to one test; it is deleted when the returned handle is disposed.</summary>
    public async Task<TestNamespace> CreateNamespaceAsync(string prefix = "t")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return new TestNamespace(Client, name);
    }

    private static async Task<string> BringUpAsync()
    {
        var script = Path.Combine(RepositoryLayout.Root, "hack", "local-cluster.sh");
        var psi = new ProcessStartInfo("bash", [script, "up"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start bash");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // The first run builds kube-apiserver from source; later runs start in seconds.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(40));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"hack/local-cluster.sh up failed (exit {process.ExitCode}):\n{await stderr}");
        }

        return (await stdout).Trim().Split('\n')[^1].Trim();
    }
}

/// <summary>A namespace owned by one test.</summary>
public sealed class TestNamespace(IKubernetes client, string name) : IAsyncDisposable
{
    public string Name { get; } = name;

    public override string ToString() => Name;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await client.CoreV1.DeleteNamespaceAsync(Name, propagationPolicy: "Background");
        }
        catch (k8s.Autorest.HttpOperationException)
        {
            // Already gone, or the cluster went away: nothing to clean.
        }
    }
}
