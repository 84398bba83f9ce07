using GitOps.Primitives;

namespace GitOps.Source.Tests;

public sealed class SemVerRangeTests
{
    [Theory]
    [InlineData(">=1.2.0 <2.0.0", "1.2.0", true)]
    [InlineData(">=1.2.0 <2.0.0", "1.9.9", true)]
    [InlineData(">=1.2.0 <2.0.0", "2.0.0", false)]
    [InlineData(">=1.2.0 <2.0.0", "1.1.9", false)]
    [InlineData("~1.4", "1.4.7", true)]
    [InlineData("~1.4", "1.5.0", false)]
    [InlineData("~1.4.2", "1.4.1", false)]
    [InlineData("^2", "2.9.0", true)]
    [InlineData("^2", "3.0.0", false)]
    [InlineData("^0.2.3", "0.2.9", true)]
    [InlineData("^0.2.3", "0.3.0", false)]
    [InlineData("1.x", "1.7.0", true)]
    [InlineData("*", "0.0.1", true)]
    [InlineData(">=1.0.0", "2.0.0-rc.1", false)]
    [InlineData(">=2.0.0-rc.0", "2.0.0-rc.1", true)]
    [InlineData("<1.0.0 || >=3.0.0", "3.1.0", true)]
    [InlineData("<1.0.0 || >=3.0.0", "2.0.0", false)]
    [InlineData(">= 1.2, < 1.3", "1.2.5", true)]
    public void Ranges_match_like_masterminds(string range, string version, bool expected)
    {
        var parsed = SemVerConstraint.TryParse(range);
        Assert.NotNull(parsed);
        Assert.Equal(expected, parsed.Check(SemVersion.TryParse(version)!));
    }

    [Fact]
    public void Prereleases_sort_before_releases_and_numerically()
    {
        var ordered = new[] { "1.0.0-alpha", "1.0.0-alpha.2", "1.0.0-alpha.10", "1.0.0-beta", "1.0.0", "v1.0.1" }
            .Select(v => SemVersion.TryParse(v)!).ToList();
        Assert.Equal(ordered, ordered.OrderBy(v => v).ToList());
    }
}
