using GitOps.Engine.Tests.Support;
using GitOps.Testing;
using static GitOps.Engine.Tests.Support.Manifests;

namespace GitOps.Engine.Tests.Cluster;

/// <summary>A Secret whose value changed shows a masked diff: changed, but no value in diff or patch.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class SecretDiffTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Changed_secret_value_shows_masked_diff()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "secret");
        (await h.SyncAsync(null, Secret("db", "first-password"))).Succeeded();
        Assert.True((await h.CompareAsync(null, Secret("db", "first-password"))).InSync);

        var compare = await h.CompareAsync(null, Secret("db", "second-password"));
        var secret = compare.For("Secret", "db");
        Assert.Equal(SyncState.OutOfSync, secret.State);
        foreach (var leak in new[] { "first-password", "second-password", "Zmlyc3QtcGFzc3dvcmQ", "c2Vjb25kLXBhc3N3b3Jk", "YWRtaW4" })
        {
            Assert.DoesNotContain(leak, secret.Diff, StringComparison.Ordinal);
            Assert.DoesNotContain(leak, secret.JsonPatch, StringComparison.Ordinal);
        }

        Assert.Matches(@"\n-  password: ""\*\*\* masked value \d \*\*\*""", secret.Diff);
        Assert.Matches(@"\n\+  password: ""\*\*\* masked value \d \*\*\*""", secret.Diff);
        Assert.Matches(@"\n   user: ""\*\*\* masked value \d \*\*\*""", secret.Diff); // unchanged: same mask both sides
    }
}
