using GitOps.Controller.State;
using GitOps.Engine;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Controller.Tests.State;

/// <summary>The local store rewrites an app's file when its status changes, and one that changed only in
/// reconciledAt, or in the commit a pass found it unchanged at, at most every ten minutes (a steady state makes no
/// file writes, nor does a commit elsewhere in a monorepo).</summary>
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

    [Fact]
    public async Task A_revision_moved_with_nothing_else_changed_is_served_at_once_and_written_within_ten_minutes()
    {
        var store = new LocalStateStore(directory, clock);
        var status = new AppStatus { Sync = SyncState.Synced, Revision = new RevisionInfo("a1", "first"), ReconciledAt = clock.GetUtcNow() };
        await store.SaveAsync("app", status, CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(3));
        var moved = status with { Revision = new RevisionInfo("b2", "elsewhere"), ReconciledAt = clock.GetUtcNow() };
        await store.SaveAsync("app", moved, CancellationToken.None);
        var servedAfterMove = (await store.GetAsync("app", CancellationToken.None)).Revision?.Sha;
        var onDiskAfterMove = (await new LocalStateStore(directory, clock).GetAsync("app", CancellationToken.None)).Revision?.Sha;

        clock.Advance(TimeSpan.FromMinutes(8));
        await store.SaveAsync("app", moved with { ReconciledAt = clock.GetUtcNow() }, CancellationToken.None);
        var onDiskLater = (await new LocalStateStore(directory, clock).GetAsync("app", CancellationToken.None)).Revision?.Sha;

        Assert.Equal(("b2", "a1", "b2"), (servedAfterMove, onDiskAfterMove, onDiskLater));
    }

    [Fact]
    public async Task A_revision_moved_with_a_changed_sync_state_is_written_at_once()
    {
        var store = new LocalStateStore(directory, clock);
        var status = new AppStatus { Sync = SyncState.Synced, Revision = new RevisionInfo("a1", "first"), ReconciledAt = clock.GetUtcNow() };
        await store.SaveAsync("app", status, CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(1));
        await store.SaveAsync("app", status with { Sync = SyncState.OutOfSync, Revision = new RevisionInfo("b2", "changed it") },
            CancellationToken.None);

        var reread = await new LocalStateStore(directory, clock).GetAsync("app", CancellationToken.None);
        Assert.Equal(("b2", SyncState.OutOfSync), (reread.Revision?.Sha, reread.Sync));
    }

    private string FileOf(string app) => Path.Combine(directory, app + ".json");
}
