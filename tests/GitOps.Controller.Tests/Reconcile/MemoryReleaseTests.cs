using GitOps.Controller.Reconcile;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Controller.Tests.Reconcile;

/// <summary>Memory is released once the queue is idle after a burst of passes that left the GC holding much more
/// than is live; never after a few passes, never when little is held, and at most once a minute.</summary>
public sealed class MemoryReleaseTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private int released;
    private (long Heap, long Committed) gc = (100L << 20, 300L << 20);

    [Fact]
    public void A_few_passes_release_nothing()
    {
        var memory = new MemoryRelease(clock, () => gc, () => released++);
        Passes(memory, MemoryRelease.BurstPasses - 1);

        Assert.False(memory.WhenIdle());
        Assert.Equal(0, released);
    }

    [Fact]
    public void A_burst_releases_once_when_idle_and_the_next_burst_waits_for_the_spacing()
    {
        var memory = new MemoryRelease(clock, () => gc, () => released++);
        Passes(memory, MemoryRelease.BurstPasses);

        Assert.True(memory.WhenIdle());
        Assert.False(memory.WhenIdle());

        Passes(memory, MemoryRelease.BurstPasses);
        Assert.False(memory.WhenIdle());
        clock.Advance(MemoryRelease.MinSpacing);
        Assert.True(memory.WhenIdle());
        Assert.Equal(2, released);
    }

    [Fact]
    public void Nothing_is_released_when_the_gc_holds_little_more_than_is_live()
    {
        var memory = new MemoryRelease(clock, () => gc, () => released++);
        Passes(memory, MemoryRelease.BurstPasses);
        gc = (100L << 20, 140L << 20);

        Assert.False(memory.WhenIdle());
        gc = (20L << 20, 40L << 20); // half again as much, but under the floor
        Assert.False(memory.WhenIdle());
        gc = (100L << 20, 150L << 20);
        Assert.True(memory.WhenIdle());
    }

    [Fact]
    public void The_release_is_a_compacting_full_collection_and_runs_on_this_platform()
    {
        var before = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;

        MemoryRelease.ReleaseProcessMemory();

        var after = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        Assert.True(after.Index > before);
        Assert.True(after.Compacted);
    }

    private static void Passes(MemoryRelease memory, int count)
    {
        for (var i = 0; i < count; i++)
        {
            memory.PassDone();
        }
    }
}
