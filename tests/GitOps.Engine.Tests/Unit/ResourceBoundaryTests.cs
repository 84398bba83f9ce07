namespace GitOps.Engine.Tests.Unit;

/// <summary>A project's boundary: namespaced objects by namespace glob, cluster-scoped ones by group/kind glob.</summary>
public sealed class ResourceBoundaryTests
{
    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("team-*", "team-a", true)]
    [InlineData("team-*", "teams", false)]
    [InlineData("team-?", "team-ab", false)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("file:///*", "file:///tmp/repo.git", true)]
    [InlineData("", "", true)]
    [InlineData("", "x", false)]
    public void Globs_match_as_project_patterns(string pattern, string value, bool expected) =>
        Assert.Equal(expected, Glob.Matches(pattern, value));

    [Fact]
    public void Objects_outside_the_namespaces_or_cluster_kinds_are_violations()
    {
        var boundary = new ResourceBoundary(["app", "shared-*"], [new ClusterKind("rbac.authorization.k8s.io", "Cluster*")]);
        Assert.Null(boundary.Violation(new ResourceKey("", "ConfigMap", "app", "a")));
        Assert.Null(boundary.Violation(new ResourceKey("", "ConfigMap", "shared-x", "a")));
        Assert.Null(boundary.Violation(new ResourceKey("rbac.authorization.k8s.io", "ClusterRole", null, "r")));
        Assert.Contains("namespace \"kube-system\"", boundary.Violation(new ResourceKey("", "ConfigMap", "kube-system", "a")), StringComparison.Ordinal);
        Assert.Contains("cluster-scoped kind Namespace", boundary.Violation(new ResourceKey("", "Namespace", null, "x")), StringComparison.Ordinal);
    }
}
