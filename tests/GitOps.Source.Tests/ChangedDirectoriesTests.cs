namespace GitOps.Source.Tests;

/// <summary>Which app directories a push touches, as one index of the changed paths that many apps are tested
/// against (a webhook for a monorepo tests every app).</summary>
public sealed class ChangedDirectoriesTests
{
    private static readonly string[] Changed = ["apps/a/app.yaml", "apps/b2/deep/x.yaml", "top.yaml"];

    [Theory]
    [InlineData("apps/a", true)]
    [InlineData("apps", true)]
    [InlineData("apps/b2", true)]
    [InlineData("apps/b2/deep", true)]
    [InlineData("apps/b2/deep/x.yaml", true)]
    [InlineData("./apps/b2/", true)]
    [InlineData("/apps/a/", true)]
    [InlineData("apps\\a", true)]
    [InlineData("top.yaml", true)]
    [InlineData("", true)]
    [InlineData(".", true)]
    [InlineData("./", true)]
    [InlineData("apps/a-other", false)]
    [InlineData("apps/b", false)]
    [InlineData("apps/a/app", false)]
    [InlineData("base", false)]
    [InlineData("top", false)]
    public void A_directory_is_touched_by_a_changed_path_at_or_below_it(string appPath, bool affected)
    {
        var changed = new ChangedDirectories(Changed);

        Assert.False(changed.IsEmpty);
        Assert.Equal(affected, changed.Affects(appPath));
        Assert.Equal(affected, ChangeDetection.IsAffected(appPath, Changed));
    }

    [Fact]
    public void No_changed_paths_touch_nothing_not_even_the_root()
    {
        var changed = new ChangedDirectories([]);

        Assert.True(changed.IsEmpty);
        Assert.False(changed.Affects(""));
        Assert.False(changed.Affects("apps/a"));
    }
}
