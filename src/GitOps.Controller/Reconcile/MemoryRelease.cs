using System.Runtime.InteropServices;

namespace GitOps.Controller.Reconcile;

/// <summary>
/// Gives memory back to the system after a burst of passes. A pass over many apps (the first after a start or after
/// every app synced, a commit that moves a whole monorepo) allocates many times the live heap: the GC keeps the
/// regions it grew into committed, and glibc keeps the native blocks freed meanwhile (TLS buffers, libgit2) in its
/// arenas. Neither is returned while the process idles, so a controller would stay at its burst's peak (at 50 000
/// apps ~350 MB above what it needs). Once the queue has drained after a burst of at least <see cref="BurstPasses"/>
/// passes, at most once per <see cref="MinSpacing"/>, and only when the resident set grew well beyond what it was after
/// the last release, one compacting GC that decommits what it frees and a malloc_trim bring it back near what is live.
/// Steady passes grow nothing, so they do not trigger it. The collection blocks every thread (0.6–1.4 s at 50 000
/// apps), so it runs only while the idleness that followed the burst lasts: once a few passes ran since (a webhook's
/// apps), the burst is forgotten, or its release would land on the next small piece of work and stall it — as it
/// did when the passes of every burst were counted until some later idle moment came after the spacing.
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

    // A burst ended and the queue has stayed idle since: a release may still follow.
    private bool pending;

    /// <summary>As the controller runs it: the process's own resident set and the real release.</summary>
    public MemoryRelease(TimeProvider clock)
        : this(clock, () => Environment.WorkingSet, ReleaseProcessMemory)
    {
    }

    public void PassDone() => Interlocked.Increment(ref passes);

    /// <summary>Called while nothing is queued or running: releases after a burst that grew the resident set by an
    /// eighth (and at least <see cref="GrowthFloor"/>) since the last release, or ever, unless other passes ran since
    /// the burst ended. True when it released.</summary>
    public bool WhenIdle()
    {
        lock (gate)
        {
            var since = Interlocked.Exchange(ref passes, 0);
            if (since >= BurstPasses)
            {
                pending = true;
            }
            else if (since > 0)
            {
                pending = false;
            }

            var now = clock.GetUtcNow();
            if (!pending || now - last < MinSpacing || resident() - after < Math.Max(GrowthFloor, after / 8))
            {
                return false;
            }

            pending = false;
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
