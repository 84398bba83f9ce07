using GitOps.Engine.Cache;
using GitOps.Engine.Cluster;
using GitOps.Engine.Tests.Support;
using static GitOps.Engine.Tests.Support.Informers;

namespace GitOps.Engine.Tests.Unit;

/// <summary>A new version of a cached object (every watch event parses one) keeps the first version's key and app
/// names instead of its own copies, while anything that changed is taken as it is.</summary>
public sealed class CachedVersionStringsTests
{
    private readonly Informer informer = Informers.Offline(ConfigMaps);

    [Fact]
    public void A_new_version_shares_the_key_and_app_names_of_the_one_it_replaces()
    {
        var first = new LiveObject(ConfigMaps, Manifests.TrackedConfigMap("demo", "app", "cm", "1"));
        var second = new LiveObject(ConfigMaps, Manifests.TrackedConfigMap("demo", "app", "cm", "2"));
        Assert.NotSame(first.Key.Name, second.Key.Name);
        informer.Upsert(first);

        informer.Upsert(second);

        Assert.Same(second, informer.Get("demo", "cm"));
        Assert.Equal("2", second.ResourceVersion);
        Assert.Same(first.Key, second.Key);
        Assert.Same(first.AppLabel, second.AppLabel);
        Assert.Same(second.AppLabel, second.TrackedApp);
        Assert.Equal([second], informer.Labelled("app"));
    }

    [Fact]
    public void A_version_moved_to_another_app_keeps_its_own_names()
    {
        informer.Upsert(new LiveObject(ConfigMaps, Manifests.TrackedConfigMap("demo", "app", "cm", "1")));

        var moved = new LiveObject(ConfigMaps, Manifests.TrackedConfigMap("demo", "other", "cm", "2"));
        informer.Upsert(moved);

        Assert.Equal(("other", "other"), (moved.AppLabel, moved.TrackedApp));
        Assert.Empty(informer.Labelled("app"));
        Assert.Equal([moved], informer.Labelled("other"));
    }
}
