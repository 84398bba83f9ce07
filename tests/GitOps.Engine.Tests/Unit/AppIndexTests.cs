using GitOps.Engine.Cache;
using GitOps.Engine.Cluster;
using GitOps.Engine.Tests.Support;
using static GitOps.Engine.Tests.Support.Informers;

namespace GitOps.Engine.Tests.Unit;

/// <summary>An informer finds an app's objects by its label whether the app has a few objects of the kind or thousands
/// (past 64 its index changes shape), through new versions, label changes and removals.</summary>
public sealed class AppIndexTests
{
    private readonly Informer informer = Informers.Offline(ConfigMaps);

    [Theory]
    [InlineData(3)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(2000)]
    public void Every_object_of_an_app_is_found_once_through_new_versions_and_removals(int count)
    {
        for (var i = 0; i < count; i++)
        {
            informer.Upsert(new LiveObject(ConfigMaps, Manifests.TrackedConfigMap("demo", "big", $"cm-{i}", "1")));
        }

        informer.Upsert(new LiveObject(ConfigMaps, Manifests.TrackedConfigMap("demo", "other", "theirs", "1")));
        for (var i = 0; i < count; i += 2)
        {
            informer.Upsert(new LiveObject(ConfigMaps, Manifests.TrackedConfigMap("demo", "big", $"cm-{i}", "2")));
        }

        var found = informer.Labelled("big").ToList();
        Assert.Equal(count, found.Count);
        Assert.Equal(count, found.Select(o => o.Key.Name).Distinct().Count());
        Assert.Equal((count + 1) / 2, found.Count(o => o.ResourceVersion == "2"));
        Assert.Equal(["theirs"], informer.Labelled("other").Select(o => o.Key.Name));

        for (var i = 0; i < count; i++)
        {
            informer.Remove("demo", $"cm-{i}");
        }

        Assert.Empty(informer.Labelled("big"));
        Assert.Single(informer.Labelled("other"));
    }

    [Fact]
    public void An_object_relabelled_from_a_large_app_leaves_its_index()
    {
        for (var i = 0; i < 100; i++)
        {
            informer.Upsert(new LiveObject(ConfigMaps, Manifests.TrackedConfigMap("demo", "big", $"cm-{i}", "1")));
        }

        informer.Upsert(new LiveObject(ConfigMaps, Manifests.TrackedConfigMap("demo", "small", "cm-7", "2")));

        Assert.Equal(99, informer.Labelled("big").Count());
        Assert.DoesNotContain(informer.Labelled("big"), o => o.Key.Name == "cm-7");
        Assert.Equal(["cm-7"], informer.Labelled("small").Select(o => o.Key.Name));
    }
}
