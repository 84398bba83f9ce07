using System.Runtime.InteropServices;

namespace GitOps.Controller.Reconcile;

/// <summary>
/// Gives memory back to the system after a burst of passes. A pass over many apps (the first after a start or after
/// every app synced, a commit that moves a whole monorepo) allocates many times the live heap: the GC keeps the
/// regions it grew into committed, and glibc keeps the native blocks freed meanwhile (TLS buffers, libgit2) in its
/// arenas. Neither is returned while the process idles, so a controller would stay at its burst's peak (at 50 000
/// apps ~350 MB above what it needs). Once the queue has drained after at least <see cref="BurstPasses"/> passes, at
/// most once per <see cref="MinSpacing"/>, and only when the resident set grew well beyond what it was after the last
/// release, one compacting GC that decommits what it frees and a malloc_trim bring it back near what is live.
/// Steady passes grow nothing, so they do not trigger it.
/// </summary>
/// <param name="resident">The process's resident set, in bytes.</param>
internal sealed class MemoryRelease(TimeProvider clock, Func<long> resident, Action release)
{
    public const int BurstPasses = 1000;
    public const long GrowthFloor = 32L << 20;
    public static readonly TimeSpan MinSpacing = TimeSpan.FromMinutes(1);

    private readonly Lock gate = new();
    private long passes;
    private DateTimeOffset last = DateTimeOffset.MinValue;
    private long after;

    /// <summary>As the controller runs it: the process's own resident set and the real release.</summary>
    public MemoryRelease(TimeProvider clock)
        : this(clock, () => Environment.WorkingSet, ReleaseProcessMemory)
    {
    }

    public void PassDone() => Interlocked.Increment(ref passes);

    /// <summary>Called while nothing is queued or running: releases after a burst that grew the resident set by an
    /// eighth (and at least <see cref="GrowthFloor"/>) since the last release, or ever. True when it released.</summary>
    public bool WhenIdle()
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            if (Interlocked.Read(ref passes) < BurstPasses || now - last < MinSpacing
                || resident() - after < Math.Max(GrowthFloor, after / 8))
            {
                return false;
            }

            Interlocked.Exchange(ref passes, 0);
            last = now;
            release();
            after = resident();
        }

        return true;
    }

    /// <summary>The release itself: a blocking, compacting full GC that also decommits the free regions, then glibc's
    /// malloc_trim (absent elsewhere: nothing to do).</summary>
    public static void ReleaseProcessMemory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl has no malloc_trim): its allocator returns memory its own way.
        }
    }

    // glibc's soname: malloc_trim is glibc's own. (DllImport: LibraryImport would need unsafe code for this one call.)
    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
