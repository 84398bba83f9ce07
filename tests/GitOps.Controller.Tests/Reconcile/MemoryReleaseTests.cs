using GitOps.Controller.Reconcile;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Controller.Tests.Reconcile;

/// <summary>Memory is released once the queue is idle after a burst of passes that grew the resident set; never
/// after a few passes, never when it grew little since the last release, and at most once a minute.</summary>
public sealed class MemoryReleaseTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private int released;
    private long resident = 300L << 20;

    [Fact]
    public void A_few_passes_release_nothing()
    {
        var memory = new MemoryRelease(clock, () => resident, Release);
        Passes(memory, MemoryRelease.BurstPasses - 1);

        Assert.False(memory.WhenIdle());
        Assert.Equal(0, released);
    }

    [Fact]
    public void A_burst_releases_once_when_idle_and_the_next_burst_waits_for_the_spacing()
    {
        var memory = new MemoryRelease(clock, () => resident, Release);
        Passes(memory, MemoryRelease.BurstPasses);

        Assert.True(memory.WhenIdle());
        Assert.False(memory.WhenIdle());

        Passes(memory, MemoryRelease.BurstPasses);
        resident = 300L << 20; // the next burst grew it again
        Assert.False(memory.WhenIdle());
        clock.Advance(MemoryRelease.MinSpacing);
        Assert.True(memory.WhenIdle());
        Assert.Equal(2, released);
    }

    [Fact]
    public void A_burst_whose_release_waited_for_the_spacing_is_forgotten_once_other_passes_ran()
    {
        var memory = new MemoryRelease(clock, () => resident, Release);
        Passes(memory, MemoryRelease.BurstPasses);
        Assert.True(memory.WhenIdle());
        Passes(memory, MemoryRelease.BurstPasses);
        resident = 300L << 20;
        Assert.False(memory.WhenIdle()); // within the spacing

        Passes(memory, 10); // a webhook's apps: releasing after them would stall the next ones
        clock.Advance(MemoryRelease.MinSpacing);
        Assert.False(memory.WhenIdle());
        Assert.False(memory.WhenIdle());
        Assert.Equal(1, released);
    }

    [Fact]
    public void Passes_split_by_idle_moments_are_not_one_burst()
    {
        var memory = new MemoryRelease(clock, () => resident, Release);
        for (var i = 0; i < 10; i++)
        {
            Passes(memory, MemoryRelease.BurstPasses / 10);
            Assert.False(memory.WhenIdle());
        }

        Assert.Equal(0, released);
    }

    [Fact]
    public void Nothing_is_released_when_the_resident_set_grew_little_since_the_last_release()
    {
        var memory = new MemoryRelease(clock, () => resident, Release);
        Passes(memory, MemoryRelease.BurstPasses);
        Assert.True(memory.WhenIdle()); // the first burst: 300 MB, down to 200 MB
        clock.Advance(MemoryRelease.MinSpacing);
        Passes(memory, MemoryRelease.BurstPasses);

        resident = 220L << 20; // a tenth more: under the floor
        Assert.False(memory.WhenIdle());
        resident = 240L << 20;
        Assert.True(memory.WhenIdle());
        Assert.Equal(2, released);
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

    private void Release()
    {
        released++;
        resident = 200L << 20;
    }

    private static void Passes(MemoryRelease memory, int count)
    {
        for (var i = 0; i < count; i++)
        {
            memory.PassDone();
        }
    }
}
