using GitOps.Controller.State;
using GitOps.Engine;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Controller.Tests.State;

/// <summary>The local store rewrites an app's file when its status changes, and one that changed only in
/// reconciledAt at most every ten minutes (a steady state makes no file writes).</summary>
public sealed class SteadyStatusWriteTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "gitops-status-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Only_reconciledAt_changed_is_written_every_ten_minutes()
    {
        var store = new LocalStateStore(directory, clock);
        var status = new AppStatus { Sync = SyncState.Synced, ReconciledAt = clock.GetUtcNow() };
        await store.SaveAsync("app", status, CancellationToken.None);
        var written = await File.ReadAllTextAsync(FileOf("app"));

        clock.Advance(TimeSpan.FromMinutes(3));
        var later = status with { ReconciledAt = clock.GetUtcNow() };
        await store.SaveAsync("app", later, CancellationToken.None);

        Assert.Equal(written, await File.ReadAllTextAsync(FileOf("app")));
        Assert.Equal(later.ReconciledAt, (await store.GetAsync("app", CancellationToken.None)).ReconciledAt);

        clock.Advance(TimeSpan.FromMinutes(8));
        await store.SaveAsync("app", later with { ReconciledAt = clock.GetUtcNow() }, CancellationToken.None);

        Assert.NotEqual(written, await File.ReadAllTextAsync(FileOf("app")));
    }

    [Fact]
    public async Task A_changed_status_is_written_at_once()
    {
        var store = new LocalStateStore(directory, clock);
        var status = new AppStatus { Sync = SyncState.Synced, ReconciledAt = clock.GetUtcNow() };
        await store.SaveAsync("app", status, CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(1));
        await store.SaveAsync("app", status with { Sync = SyncState.OutOfSync, ReconciledAt = clock.GetUtcNow() },
            CancellationToken.None);

        var reread = await new LocalStateStore(directory, clock).GetAsync("app", CancellationToken.None);
        Assert.Equal(SyncState.OutOfSync, reread.Sync);
    }

    private string FileOf(string app) => Path.Combine(directory, app + ".json");
}
