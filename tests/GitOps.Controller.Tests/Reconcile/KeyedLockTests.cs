using GitOps.Controller.Reconcile;

namespace GitOps.Controller.Tests.Reconcile;

/// <summary>Actions for one name never overlap; actions for different names do not wait for each other.</summary>
public sealed class KeyedLockTests
{
    [Fact]
    public async Task Actions_for_one_name_run_one_at_a_time()
    {
        var locks = new KeyedLock();
        var running = 0;
        var most = 0;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => locks.RunAsync("app", CancellationToken.None, async () =>
        {
            most = Math.Max(most, Interlocked.Increment(ref running));
            await Task.Yield();
            Interlocked.Decrement(ref running);
            return true;
        }))));

        Assert.Equal(1, most);
    }

    [Fact]
    public async Task Another_name_does_not_wait()
    {
        var locks = new KeyedLock();
        var release = new TaskCompletionSource();
        var holding = locks.RunAsync("one", CancellationToken.None, async () =>
        {
            await release.Task;
            return true;
        });

        var other = await locks.RunAsync("two", CancellationToken.None, () => Task.FromResult("ran"));

        Assert.Equal("ran", other);
        Assert.False(holding.IsCompleted);
        release.SetResult();
        Assert.True(await holding);
    }

    [Fact]
    public async Task A_name_is_usable_again_after_a_failure_or_a_cancelled_wait()
    {
        var locks = new KeyedLock();
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            locks.RunAsync<bool>("app", CancellationToken.None, () => throw new InvalidOperationException("failed")));

        var release = new TaskCompletionSource();
        var holding = locks.RunAsync("app", CancellationToken.None, async () =>
        {
            await release.Task;
            return true;
        });
        using var cancel = new CancellationTokenSource();
        var waiting = locks.RunAsync("app", cancel.Token, () => Task.FromResult(true));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        release.SetResult();
        await holding;

        Assert.Equal("again", await locks.RunAsync("app", CancellationToken.None, () => Task.FromResult("again")));
    }
}
