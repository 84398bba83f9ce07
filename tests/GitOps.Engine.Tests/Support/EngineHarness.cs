using System.Text.Json.Nodes;
using GitOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Engine.Tests.Support;

/// <summary>An engine, a namespace and an app for one test.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    private EngineHarness(LocalClusterFixture cluster, TestNamespace ns, string app)
    {
        Cluster = cluster;
        Namespace = ns;
        App = new AppTarget(app, ns.Name);
        Engine = new ClusterEngine(cluster.Client, TimeProvider.System, NullLogger<ClusterEngine>.Instance);
    }

    public LocalClusterFixture Cluster { get; }

    public TestNamespace Namespace { get; }

    public AppTarget App { get; }

    public ClusterEngine Engine { get; }

    public string Ns => Namespace.Name;

    public static async Task<EngineHarness> StartAsync(LocalClusterFixture cluster, string prefix)
    {
        var ns = await cluster.CreateNamespaceAsync(prefix);
        return new EngineHarness(cluster, ns, $"app-{ns.Name}");
    }

    public static DesiredSet Set(params JsonObject[] objects) => DesiredSet.FromSuccessfulRender(objects, "test");

    public Task<SyncResult> SyncAsync(SyncOptions? options = null, params JsonObject[] objects) =>
        Engine.SyncAsync(App, Set(objects), options ?? new SyncOptions { WaitTimeout = TimeSpan.FromSeconds(60) }, CancellationToken.None);

    public Task<ComparisonResult> CompareAsync(ComparisonOptions? options = null, params JsonObject[] objects) =>
        Engine.CompareAsync(App, Set(objects), options ?? new ComparisonOptions(), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Namespace.DisposeAsync();
    }
}

internal static class ResultAssertions
{
    public static ResourceResult For(this SyncResult result, string kind, string name) =>
        result.Resources.Single(r => r.Key.Kind == kind && r.Key.Name == name);

    public static ResourceComparison For(this ComparisonResult result, string kind, string name) =>
        result.Resources.Single(r => r.Key.Kind == kind && r.Key.Name == name);

    public static void Succeeded(this SyncResult result) =>
        Assert.True(result.Outcome == SyncOutcome.Succeeded,
            $"{result.Message}\n{string.Join('\n', result.Log.Select(l => $"{l.Phase} {l.Key} {l.Message}"))}");
}
