using GitOps.Applications;
using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Primitives;

namespace GitOps.Controller.Tests;

/// <summary>spec.syncPolicy.retry.backoff drives the delay after a failed pass (Go durations, as Argo CD's).</summary>
public sealed class RetryBackoffTests
{
    private static readonly ControllerOptions Defaults = new() { RetryBase = TimeSpan.FromSeconds(5), RetryMax = TimeSpan.FromMinutes(3) };

    [Theory]
    [InlineData("5s", 5_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2500000ns", 2.5)]
    [InlineData("0", 0)]
    public void Go_durations_parse(string text, double milliseconds)
    {
        Assert.True(GoDuration.TryParseTimeSpan(text, out var duration));
        Assert.Equal(milliseconds, duration.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("5 s")]
    [InlineData("s")]
    [InlineData("5d")]
    [InlineData("-5s")]
    [InlineData("99999999999999h")]
    public void Anything_else_is_not_a_duration(string text) => Assert.False(GoDuration.TryParseTimeSpan(text, out _));

    [Fact]
    public void The_apps_backoff_grows_by_its_factor_up_to_its_max()
    {
        var spec = new BackoffSpec("2s", 3, "1m");
        Assert.Equal(
            [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(18), TimeSpan.FromSeconds(54), TimeSpan.FromMinutes(1)],
            Enumerable.Range(1, 5).Select(n => ControllerLoop.Backoff(spec, n, Defaults)));
    }

    [Fact]
    public void Without_a_spec_the_controller_defaults_apply_and_a_huge_factor_saturates()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), ControllerLoop.Backoff(null, 2, Defaults));
        Assert.Equal(TimeSpan.FromMinutes(3), ControllerLoop.Backoff(null, 50, Defaults));
        Assert.Equal(TimeSpan.FromHours(1), ControllerLoop.Backoff(new BackoffSpec("1s", 1000, "1h"), 40, Defaults));
    }

    [Fact]
    public void An_unparsable_backoff_is_an_invalid_spec()
    {
        var app = new Application("demo", new ApplicationSpec
        {
            Source = new SourceSpec { RepoUrl = "file:///repo", Path = "." },
            Destination = new DestinationSpec { Namespace = "demo" },
            SyncPolicy = new SyncPolicySpec { Retry = new RetrySpec(3, new BackoffSpec("soon", 0, "3m")) },
        });

        var errors = ApplicationValidator.Validate(app);
        Assert.Contains(errors, e => e.Contains("backoff.duration 'soon'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("factor must be at least 1", StringComparison.Ordinal));
    }
}
