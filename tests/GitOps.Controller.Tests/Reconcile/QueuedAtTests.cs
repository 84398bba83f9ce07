using GitOps.Controller.Reconcile;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Controller.Tests.Reconcile;

/// <summary>A queued app carries the latest time it was queued (its pass must see git at least that fresh),
/// also when it was queued again while being processed.</summary>
public sealed class QueuedAtTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_second_add_moves_the_time_and_keeps_the_stronger_trigger()
    {
        var queue = new WorkQueue(clock);
        queue.Add("app", Trigger.Webhook);
        clock.Advance(TimeSpan.FromSeconds(5));
        queue.Add("app", Trigger.Interval);

        var (app, trigger, at) = await queue.TakeAsync(CancellationToken.None);

        Assert.Equal(("app", Trigger.Webhook, clock.GetUtcNow()), (app, trigger, at));
    }

    [Fact]
    public async Task An_add_while_processing_is_taken_again_with_its_own_time()
    {
        var queue = new WorkQueue(clock);
        queue.Add("app", Trigger.Interval);
        var (_, _, first) = await queue.TakeAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(5));
        queue.Add("app", Trigger.Webhook);
        queue.Done("app");

        var (_, trigger, again) = await queue.TakeAsync(CancellationToken.None);

        Assert.Equal((Trigger.Webhook, first + TimeSpan.FromSeconds(5)), (trigger, again));
    }
}
