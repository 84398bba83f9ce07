using GitOps.Controller.Adapters;
using GitOps.Applications;
using GitOps.Controller.Applications;
using GitOps.Engine;

namespace GitOps.Controller.Tests;

/// <summary>spec.syncPolicy.syncOptions reach the engine: PrunePropagationPolicy (as Argo CD's),
/// DryRunNewObjects (on unless turned off) and AdoptExisting; an unknown propagation policy is an invalid spec.</summary>
public sealed class SyncOptionsTests
{
    private static Application App(params string[] options) => new("demo", new ApplicationSpec
    {
        Source = new SourceSpec { RepoUrl = "https://git.example/repo.git" },
        Destination = new DestinationSpec { Namespace = "demo" },
        SyncPolicy = new SyncPolicySpec { SyncOptions = options },
    });

    [Fact]
    public void Defaults_are_foreground_propagation_whole_set_validation_and_no_adoption()
    {
        var options = ClusterAdapter.SyncOptionsOf(App());
        Assert.Equal((PropagationPolicy.Foreground, true, false),
            (options.PrunePropagation, options.DryRunNewObjects, options.AdoptExisting));
    }

    [Theory]
    [InlineData("PrunePropagationPolicy=background", PropagationPolicy.Background)]
    [InlineData("PrunePropagationPolicy=orphan", PropagationPolicy.Orphan)]
    [InlineData("PrunePropagationPolicy=Foreground", PropagationPolicy.Foreground)]
    public void The_propagation_policy_is_taken_from_the_spec(string option, PropagationPolicy expected)
    {
        Assert.Equal(expected, ClusterAdapter.SyncOptionsOf(App(option, "CreateNamespace=true")).PrunePropagation);
        Assert.Empty(ApplicationValidator.Validate(App(option)));
    }

    [Fact]
    public void Dry_running_new_objects_can_be_turned_off_and_adoption_on_by_name()
    {
        Assert.True(ClusterAdapter.SyncOptionsOf(App("DryRunNewObjects=true")).DryRunNewObjects);
        Assert.False(ClusterAdapter.SyncOptionsOf(App("DryRunNewObjects=false")).DryRunNewObjects);
        Assert.True(ClusterAdapter.SyncOptionsOf(App("AdoptExisting=true")).AdoptExisting);
    }

    [Fact]
    public void An_unknown_propagation_policy_is_an_invalid_spec()
    {
        var error = Assert.Single(ApplicationValidator.Validate(App("PrunePropagationPolicy=later")));
        Assert.Contains("PrunePropagationPolicy=later must be one of foreground, background, orphan", error, StringComparison.Ordinal);
    }
}
