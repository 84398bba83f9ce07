using GitOps.Testing;

namespace GitOps.Ui.Tests;

/// <summary>An admin in a real browser does what the demo's CLI steps do: sees the apps, gets a commit live,
/// opens an app (resources, diff), pauses and resumes, syncs with prune, rolls back from history, logs out.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class BrowserAdminTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task AdminRunsTheDemoStepsFromThePage()
    {
        await using var scenario = await UiScenario.StartAsync(cluster, "ui-admin");
        await BrowserRun.RunAsync(scenario, "admin");
    }
}
