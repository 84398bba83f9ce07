using System.Text.Json.Nodes;
using GitOps.Applications;
using GitOps.Controller.Applications;
using GitOps.Controller.HighAvailability;
using GitOps.Controller.Observability;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GitOps.Controller.Tests;

/// <summary>On stop, the loop lets an in-flight reconcile finish within the grace period, or cancels it after
/// the grace period (or sooner, when the host's shutdown timeout passes first) without writing a status (no
/// half-done pass is recorded); it takes no more work from the moment the host begins to stop.</summary>
public sealed class GracefulShutdownTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "gitops-shutdown-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task In_flight_reconcile_finishes_and_is_saved_when_it_ends_within_the_grace_period()
    {
        var source = new BlockingSource();
        await using var running = await StartWithPassInFlightAsync(source, TimeSpan.FromSeconds(30));
        var loop = running.Loop;

        var stopping = loop.StopAsync(CancellationToken.None);
        Assert.False(stopping.IsCompleted, "the stop waits for the in-flight reconcile");
        source.Release.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(File.Exists(Path.Combine(directory, "app.json")), "the finished pass saved its status");
        Assert.False(source.Cancelled);
    }

    [Fact]
    public async Task In_flight_reconcile_is_cancelled_after_the_grace_period_and_saves_nothing()
    {
        var source = new BlockingSource();
        await using var running = await StartWithPassInFlightAsync(source, TimeSpan.FromMilliseconds(300));
        var loop = running.Loop;

        await loop.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(source.Cancelled, "the reconcile saw its token cancelled");
        Assert.Empty(Directory.Exists(directory) ? Directory.GetFiles(directory) : []);
    }

    [Fact]
    public async Task In_flight_reconcile_is_cancelled_when_the_hosts_shutdown_timeout_passes_before_the_grace_period()
    {
        var source = new BlockingSource();
        await using var running = await StartWithPassInFlightAsync(source, TimeSpan.FromMinutes(10));
        var loop = running.Loop;

        using var shutdownTimeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await loop.StopAsync(shutdownTimeout.Token).WaitAsync(TimeSpan.FromSeconds(10));
        await loop.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(source.Cancelled, "the reconcile saw its token cancelled");
        Assert.Empty(Directory.Exists(directory) ? Directory.GetFiles(directory) : []);
    }

    [Fact]
    public async Task The_loop_takes_no_more_work_once_the_host_begins_to_stop()
    {
        var source = new BlockingSource();
        await using var running = await StartWithPassInFlightAsync(source, TimeSpan.FromSeconds(30), "app", "other");
        var loop = running.Loop;

        // The host stops the API server and other services before this loop's StopAsync: the loop hears the stop begin.
        running.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        source.Release.SetResult();
        await loop.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, source.Passes);
        Assert.True(File.Exists(Path.Combine(directory, "app.json")), "the pass in flight finished and saved its status");
        await loop.StopAsync(CancellationToken.None);
    }

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A loop started over the apps (one "app" by default), its first pass held inside the source.</summary>
    private async Task<Running> StartWithPassInFlightAsync(BlockingSource source, TimeSpan grace, params string[] apps)
    {
        var services = Build(source, grace, apps);
        var loop = ActivatorUtilities.CreateInstance<ControllerLoop>(services);
        await loop.StartAsync(CancellationToken.None);
        await source.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return new Running(services, loop);
    }

    private sealed record Running(ServiceProvider Services, ControllerLoop Loop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Loop.Dispose();
            await Services.DisposeAsync();
        }
    }

    private ServiceProvider Build(BlockingSource source, TimeSpan grace, string[] apps)
    {
        var options = new ControllerOptions { Concurrency = 1, ShutdownGrace = grace, ReconcileInterval = TimeSpan.FromHours(1) };
        var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton(Options.Create(options))
            .AddSingleton(TimeProvider.System)
            .AddSingleton<ApplicationRegistry>()
            .AddSingleton<WorkQueue>()
            .AddSingleton<StatusHub>()
            .AddSingleton<IStateStore>(new LocalStateStore(directory, TimeProvider.System))
            .AddSingleton<ISourceGateway>(source)
            .AddSingleton<IAppRenderer, EmptyRenderer>()
            .AddSingleton<IClusterGateway, EmptyCluster>()
            .AddSingleton<Reconciler>()
            .AddSingleton(new MemoryRelease(TimeProvider.System))
            .AddSingleton(new Leadership(options))
            .AddSingleton(new ShardFilter(options))
            .AddSingleton(new ShardOwnership(options, TimeProvider.System))
            .AddSingleton<IReplicaScope, ReplicaScope>()
            .AddSingleton<ControllerMetrics>()
            .AddSingleton<IReconcileMetrics>(sp => sp.GetRequiredService<ControllerMetrics>())
            .AddSingleton<IHostApplicationLifetime, Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>()
            .BuildServiceProvider();
        foreach (var app in apps.Length > 0 ? apps : ["app"])
        {
            services.GetRequiredService<ApplicationRegistry>().Upsert(new Application(app, new ApplicationSpec
            {
                Source = new SourceSpec { RepoUrl = "file:///nowhere", Path = app },
                Destination = new DestinationSpec { Namespace = "default" },
            }));
        }

        return services;
    }

    private sealed class BlockingSource : ISourceGateway
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Cancelled { get; private set; }

        private int passes;

        public int Passes => Volatile.Read(ref passes);

        public async Task<RevisionInfo> ResolveAsync(SourceSpec source, DateTimeOffset freshAsOf, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref passes);
            Entered.TrySetResult();
            try
            {
                await Release.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled = true;
                throw;
            }

            return new RevisionInfo(new string('a', 40), "subject");
        }

        public Task<string?> DirectoryIdAsync(SourceSpec source, string sha, CancellationToken cancellationToken) =>
            Task.FromResult<string?>(sha);

        public Task<Snapshot> SnapshotAsync(SourceSpec source, string sha, string? path, CancellationToken cancellationToken) =>
            Task.FromResult(new Snapshot("/nonexistent", new MemoryStream()));

        public Task<bool> IsBranchAsync(SourceSpec source, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<RevertOutcome> RevertAsync(SourceSpec source, string? toSha, string? commit, string requestedBy,
            CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class EmptyRenderer : IAppRenderer
    {
        public Task<IReadOnlyList<JsonObject>> RenderAsync(Snapshot snapshot, RevisionInfo revision, Application app,
            CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<JsonObject>>([]);
    }

    private sealed class EmptyCluster : IClusterGateway
    {
        public long LiveVersion(Application app) => 0;

        public Task<Comparison> CompareAsync(Application app, string revision, IReadOnlyList<JsonObject> desired,
            CancellationToken cancellationToken) =>
            Task.FromResult(new Comparison([], [], HealthState.Healthy));

        public Task<SyncReport> SyncAsync(Application app, string revision, IReadOnlyList<JsonObject> desired,
            SyncParameters parameters, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
