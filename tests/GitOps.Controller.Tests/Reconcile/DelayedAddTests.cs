using GitOps.Controller.Reconcile;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Controller.Tests.Reconcile;

/// <summary>Delayed adds (intervals, backoff) become ready at their due time, once, and not at a due time that a
/// sooner add or a sooner delay has replaced.</summary>
public sealed class DelayedAddTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_delayed_app_is_ready_at_its_due_time_and_not_before()
    {
        var queue = new WorkQueue(clock);
        queue.AddAfter("late", TimeSpan.FromSeconds(20), Trigger.Interval);
        queue.AddAfter("early", TimeSpan.FromSeconds(10), Trigger.Drift);

        clock.Advance(TimeSpan.FromSeconds(9));
        queue.PromoteDue();
        var beforeDue = queue.Depth;
        clock.Advance(TimeSpan.FromSeconds(1));
        queue.PromoteDue();
        var atFirstDue = queue.Depth;
        var (app, trigger, _) = await queue.TakeAsync(CancellationToken.None);

        Assert.Equal((0, 1, "early", Trigger.Drift), (beforeDue, atFirstDue, app, trigger));
    }

    [Fact]
    public async Task An_app_queued_before_its_due_time_is_not_queued_again_at_it()
    {
        var queue = new WorkQueue(clock);
        queue.AddAfter("app", TimeSpan.FromSeconds(10), Trigger.Interval);
        queue.Add("app", Trigger.Webhook);
        await queue.TakeAsync(CancellationToken.None);
        queue.Done("app");

        clock.Advance(TimeSpan.FromSeconds(10));
        queue.PromoteDue();

        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public void A_sooner_delay_replaces_the_later_one_and_a_later_delay_does_not()
    {
        var queue = new WorkQueue(clock);
        queue.AddAfter("app", TimeSpan.FromSeconds(10), Trigger.Interval);
        queue.AddAfter("app", TimeSpan.FromSeconds(5), Trigger.Drift);
        queue.AddAfter("app", TimeSpan.FromSeconds(30), Trigger.Interval);

        clock.Advance(TimeSpan.FromSeconds(5));
        queue.PromoteDue();
        var atSoonest = queue.Depth;
        clock.Advance(TimeSpan.FromSeconds(30));
        queue.PromoteDue();

        Assert.Equal((1, 1), (atSoonest, queue.Depth));
    }

    [Fact]
    public async Task Many_superseded_due_times_leave_only_the_current_ones()
    {
        var queue = new WorkQueue(clock);
        // Every app is delayed, then queued early and delayed again (as passes triggered by webhooks do),
        // many times over: the superseded entries pile up and are dropped.
        for (var round = 0; round < 5; round++)
        {
            for (var i = 0; i < 1000; i++)
            {
                var app = $"app-{i}";
                queue.AddAfter(app, TimeSpan.FromSeconds(100 + i), Trigger.Interval);
                queue.Add(app, Trigger.Webhook);
                await queue.TakeAsync(CancellationToken.None);
                queue.Done(app);
            }
        }

        for (var i = 0; i < 1000; i++)
        {
            queue.AddAfter($"app-{i}", TimeSpan.FromSeconds(1000 + i), Trigger.Interval);
        }

        clock.Advance(TimeSpan.FromSeconds(999));
        queue.PromoteDue();
        var promoted = queue.Depth;
        clock.Advance(TimeSpan.FromSeconds(1000));
        queue.PromoteDue();

        Assert.Equal((0, 1000), (promoted, queue.Depth));
    }
}
